using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry logs APP [SERVICE]`: every replica's output interleaved as it arrives, each line prefixed with its replica.</summary>
public static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var service = new Argument<string?>("SERVICE") { Description = "Only this service's replicas", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Start with the last N lines of each replica" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Prefix each line with its time (UTC, RFC 3339)" };
        var command = new Command("logs", "Show (and follow) an app's logs") { app, service, follow, tail, timestamps };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            if (parse.GetValue(tail) is < 0)
            {
                throw new CliException(ExitCodes.Usage, "--tail must be 0 or more");
            }
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var options = new LogsOptions(name, parse.GetValue(service), parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(timestamps));
                return await RunAsync(api, context, options, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What `gantry logs` was asked for.</summary>
    public sealed record LogsOptions(string App, string? Service, bool Follow, int? Tail, bool Timestamps);

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, LogsOptions options, CancellationToken cancellationToken)
    {
        var width = 0;
        try
        {
            await foreach (var line in api.StreamLogsAsync(options.App, options.Service, options.Follow, options.Tail, cancellationToken).ConfigureAwait(false))
            {
                width = Math.Max(width, line.Replica.Length);
                await context.Out.WriteLineAsync(Format(line, width, options.Timestamps, context.Terminal)).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && options.Follow)
        {
            // Ctrl+C is how a follow ends: not an error.
        }
        return ExitCodes.Ok;
    }

    /// <summary>"web-1 | text", with the replica padded to the widest seen so far and coloured on a terminal.</summary>
    public static string Format(LogLine line, int width, bool timestamps, Terminal terminal)
    {
        var prefix = terminal.Colorize(line.Replica.PadRight(width) + " |", Terminal.StableColor(line.Replica));
        var time = timestamps ? line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " " : "";
        return $"{prefix} {time}{line.Text.TrimEnd('\n', '\r')}";
    }
}
