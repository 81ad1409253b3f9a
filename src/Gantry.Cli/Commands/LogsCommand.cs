using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry logs APP [SERVICE]`: every replica's output interleaved, each line prefixed with its replica, from the lines the
/// server keeps: by default the last lines of the replicas that exist now; with `--release`, `--since` or `--until` every
/// replica that ran then, removed ones included; `--grep` narrows them; `-f` keeps following, new replicas included.
/// </summary>
public static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var service = new Argument<string?>("SERVICE") { Description = "Only this service's replicas", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines, from replicas that start later too" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Start with the last N lines of each replica (default 100 without --release/--since/--until, else all)" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Prefix each line with its time (UTC, RFC 3339)" };
        var release = new Option<int?>("--release") { Description = "Only the replicas of release N (see `gantry releases APP`), removed ones included", HelpName = "N" };
        var since = new Option<string>("--since") { Description = "Only lines since a time: a duration back from now (90s, 15m, 1h, 7d) or an RFC 3339 time", HelpName = "when" };
        var until = new Option<string>("--until") { Description = "Only lines before a time: a duration back from now or an RFC 3339 time", HelpName = "when" };
        var grep = new Option<string>("--grep") { Description = "Only lines containing this text (case-sensitive)", HelpName = "text" };
        var output = SharedOptions.Output();
        var command = new Command("logs", "Show (and follow) an app's logs, kept after its replicas are gone")
        {
            app, service, follow, tail, timestamps, release, since, until, grep, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            if (parse.GetValue(tail) is < 0)
            {
                throw new CliException(ExitCodes.Usage, "--tail must be 0 or more");
            }
            if (parse.GetValue(release) is < 1)
            {
                throw new CliException(ExitCodes.Usage, "--release must be a release number (1 or more); `gantry releases APP` lists them");
            }
            if (parse.GetValue(grep) is { Length: 0 })
            {
                throw new CliException(ExitCodes.Usage, "--grep needs the text to look for");
            }
            var filter = new LogsFilter(parse.GetValue(release), When(parse.GetValue(since), "--since"), When(parse.GetValue(until), "--until"), parse.GetValue(grep));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var options = new LogsOptions(name, parse.GetValue(service), parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(timestamps))
                {
                    Filter = filter,
                    Json = parse.GetValue(output) == "json",
                };
                return await RunAsync(api, context, options, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What `gantry logs` was asked for.</summary>
    public sealed record LogsOptions(string App, string? Service, bool Follow, int? Tail, bool Timestamps)
    {
        public LogsFilter Filter { get; init; } = LogsFilter.None;

        /// <summary>One JSON object per line (`--output json`), a JSON line's own fields under `fields`.</summary>
        public bool Json { get; init; }
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, LogsOptions options, CancellationToken cancellationToken)
    {
        var width = 0;
        try
        {
            await foreach (var line in api.StreamLogsAsync(options.App, options.Service, options.Follow, options.Tail, options.Filter, cancellationToken).ConfigureAwait(false))
            {
                width = Math.Max(width, line.Replica.Length);
                await context.Out.WriteLineAsync(options.Json ? ToJson(line) : Format(line, width, options.Timestamps, context.Terminal)).ConfigureAwait(false);
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

    /// <summary>
    /// The line as one JSON object: time, service, replica, release, stream and text, and when the text is itself a JSON
    /// object (a structured log line), its fields under `fields`, so `jq '.fields.level'` works.
    /// </summary>
    public static string ToJson(LogLine line)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("service", line.Service);
            json.WriteString("replica", line.Replica);
            if (line.Release is { } release)
            {
                json.WriteNumber("release", release);
            }
            json.WriteString("stream", line.Stream);
            json.WriteString("text", line.Text);
            if (Fields(line.Text) is { } fields)
            {
                json.WritePropertyName("fields");
                fields.WriteTo(json);
                fields.Dispose();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static JsonDocument? Fields(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A duration (sent in a form the server reads: whole days, hours, minutes or seconds) or a time (sent as UTC RFC 3339).</summary>
    public static string? When(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        if (Humanize.ParseDuration(text) is { } ago && ago > TimeSpan.Zero)
        {
            return ago.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)ago.TotalDays}d"
                : ago.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)ago.TotalHours}h"
                : ago.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)ago.TotalMinutes}m"
                : $"{(long)Math.Ceiling(ago.TotalSeconds)}s";
        }
        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        }
        throw new CliException(ExitCodes.Usage, $"{option} '{text}' is neither a duration nor a time; use a duration back from now (90s, 15m, 1h, 7d) or an RFC 3339 time such as 2026-12-05T10:00:00Z");
    }
}
