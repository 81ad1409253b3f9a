using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry events APP`: what happened to an app (deploys, replicas started, crashed, removed), optionally live.</summary>
public static class EventsCommand
{
    public const int DefaultLimit = 100;

    /// <summary>The page size asked of the server when reading the history (its maximum).</summary>
    private const int PageSize = 5000;

    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new events" };
        var limit = new Option<int?>("--limit", "-n") { Description = $"Show the last N events (default {DefaultLimit})" };
        var output = SharedOptions.Output();
        var command = new Command("events", "Show (and follow) an app's events") { app, follow, limit, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, name, parse.GetValue(follow), parse.GetValue(limit), parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool follow, int? limit, bool json, CancellationToken cancellationToken)
    {
        if (limit is < 0)
        {
            throw new CliException(ExitCodes.Usage, "--limit must be 0 or more");
        }
        var recent = await RecentAsync(api, app, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false);
        if (!follow)
        {
            if (json)
            {
                JsonOutput.Write(context.Out, recent, JsonOutput.Indented.IReadOnlyListEventView);
            }
            else if (recent.Count == 0)
            {
                await context.Out.WriteLineAsync($"no events for '{app}'").ConfigureAwait(false);
            }
            else
            {
                var now = context.Time.GetUtcNow();
                TableWriter.Write(context.Out, ["ID", "AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"],
                    recent.Select(e => (IReadOnlyList<string>)
                    [
                        e.Id.ToString(CultureInfo.InvariantCulture), Humanize.Ago(e.Time, now), e.Type, e.Reason, Object(e), e.Message,
                    ]));
            }
            return ExitCodes.Ok;
        }
        var after = recent.Count > 0 ? recent[^1].Id : 0;
        try
        {
            foreach (var e in recent)
            {
                await WriteFollowedAsync(context, e, json).ConfigureAwait(false);
            }
            await foreach (var e in api.FollowEventsAsync(app, after, cancellationToken).ConfigureAwait(false))
            {
                await WriteFollowedAsync(context, e, json).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a follow.
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The last <paramref name="count"/> events. The API pages forward from an id, so this reads the
    /// history page by page and keeps the tail (apps keep a bounded event history on the server).
    /// </summary>
    public static async Task<IReadOnlyList<EventView>> RecentAsync(IGantryApi api, string app, int count, CancellationToken cancellationToken)
    {
        var tail = new Queue<EventView>();
        long after = 0;
        while (true)
        {
            var page = await api.ListEventsAsync(app, after, PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return [.. tail];
            }
            foreach (var e in page)
            {
                tail.Enqueue(e);
                if (tail.Count > count)
                {
                    tail.Dequeue();
                }
            }
            if (page[^1].Id <= after)
            {
                // A server that ignores `after` would otherwise be read forever.
                return [.. tail];
            }
            after = page[^1].Id;
        }
    }

    private static Task WriteFollowedAsync(CliContext context, EventView e, bool json) =>
        context.Out.WriteLineAsync(json
            ? System.Text.Json.JsonSerializer.Serialize(e, ApiJsonContext.Default.EventView)
            : FormatLine(e, context.Terminal));

    /// <summary>One streamed event: "12:04:05  Warning  ReplicaExited  web-1  web-1 exited with code 1".</summary>
    public static string FormatLine(EventView e, Terminal terminal)
    {
        var type = e.Type.PadRight(7);
        type = e.Type == "Warning" ? terminal.Colorize(type, 33) : type;
        return $"{e.Time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {type}  {e.Reason,-20}  {Object(e),-20}  {e.Message}";
    }

    private static string Object(EventView e) => e.Replica ?? e.Service ?? e.App ?? "-";
}
