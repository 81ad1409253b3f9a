using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry events APP`: what happened to an app (deploys, replicas started, crashed, removed), optionally live.</summary>
public static class EventsCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new events" };
        var limit = new Option<int?>("--limit") { Description = "At most this many events" };
        var output = SharedOptions.Output();
        var command = new Command("events", "Show (and follow) an app's events") { app, follow, limit, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var api = SharedOptions.Connect(context, parse);
            try
            {
                return await RunAsync(api, context, name, parse.GetValue(follow), parse.GetValue(limit), parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }
            finally
            {
                SharedOptions.Release(api);
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool follow, int? limit, bool json, CancellationToken cancellationToken)
    {
        if (!follow)
        {
            var events = await api.ListEventsAsync(app, 0, limit, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                JsonOutput.Write(context.Out, events, JsonOutput.Indented.IReadOnlyListEventView);
            }
            else if (events.Count == 0)
            {
                await context.Out.WriteLineAsync($"no events for '{app}'").ConfigureAwait(false);
            }
            else
            {
                var now = context.Time.GetUtcNow();
                TableWriter.Write(context.Out, ["ID", "AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"],
                    events.Select(e => (IReadOnlyList<string>)
                    [
                        e.Id.ToString(CultureInfo.InvariantCulture), Humanize.Ago(e.Time, now), e.Type, e.Reason, Object(e), e.Message,
                    ]));
            }
            return ExitCodes.Ok;
        }
        try
        {
            await foreach (var e in api.FollowEventsAsync(app, 0, cancellationToken).ConfigureAwait(false))
            {
                await context.Out.WriteLineAsync(json
                    ? System.Text.Json.JsonSerializer.Serialize(e, ApiJsonContext.Default.EventView)
                    : FormatLine(e, context.Terminal)).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a follow.
        }
        return ExitCodes.Ok;
    }

    /// <summary>One streamed event: "12:04:05  Warning  ReplicaExited  web-1  web-1 exited with code 1".</summary>
    public static string FormatLine(EventView e, Terminal terminal)
    {
        var type = e.Type.PadRight(7);
        type = e.Type == "Warning" ? terminal.Colorize(type, 33) : type;
        return $"{e.Time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {type}  {e.Reason,-20}  {Object(e),-20}  {e.Message}";
    }

    private static string Object(EventView e) => e.Replica ?? e.Service ?? e.App ?? "-";
}
