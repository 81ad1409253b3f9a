using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry requests APP`: the app's recent (or slowest) requests through the router, with where the time went.</summary>
public static class RequestsCommand
{
    public const int DefaultLimit = 20;

    /// <summary>The most the server keeps per app, so the most it can return.</summary>
    public const int MaxCount = 5000;

    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var slowest = new Option<int?>("--slowest") { Description = "Show the N slowest recent requests, slowest first" };
        var limit = new Option<int?>("--limit", "-n") { Description = $"Show the newest N requests (default {DefaultLimit})" };
        var output = SharedOptions.Output();
        var command = new Command("requests", "Show an app's recent or slowest requests with their phase timings") { app, slowest, limit, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, name, parse.GetValue(slowest), parse.GetValue(limit), parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, int? slowest, int? limit, bool json, CancellationToken cancellationToken)
    {
        if (slowest is < 1 or > MaxCount)
        {
            throw new CliException(ExitCodes.Usage, $"--slowest {slowest} is out of range; use 1 to {MaxCount}");
        }
        if (limit is < 1 or > MaxCount)
        {
            throw new CliException(ExitCodes.Usage, $"--limit {limit} is out of range; use 1 to {MaxCount}");
        }
        var requests = await api.ListRequestsAsync(app, slowest, slowest is null ? limit ?? DefaultLimit : null, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, requests, JsonOutput.Indented.IReadOnlyListRequestView);
            return ExitCodes.Ok;
        }
        if (requests.Count == 0)
        {
            await context.Out.WriteLineAsync($"no requests reported for '{app}' yet (the router sends them every few seconds)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        TableWriter.Write(context.Out, ["TIME", "METHOD", "URL", "STATUS", "REPLICA", "TOTAL", "WAIT", "CONNECT", "UPSTREAM", "BODY", "TRACE ID"],
            requests.Select(Row));
        return ExitCodes.Ok;
    }

    public static IReadOnlyList<string> Row(RequestView r) =>
    [
        r.Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
        r.Method,
        r.Host + r.Path,
        r.Outcome == "Ok" ? r.Status.ToString(CultureInfo.InvariantCulture) : $"{r.Status.ToString(CultureInfo.InvariantCulture)} {r.Outcome}",
        r.Replica ?? "-",
        Milliseconds(r.TotalMs),
        Milliseconds(r.WaitMs),
        r.ConnectMs is { } connect ? Milliseconds(connect) : "reused",
        Milliseconds(r.UpstreamMs),
        Milliseconds(r.BodyMs),
        string.IsNullOrEmpty(r.TraceId) ? "-" : r.TraceId,
    ];

    /// <summary>"0.42ms", "12.3ms", "1534ms": enough digits to compare, no more.</summary>
    public static string Milliseconds(double? ms) => ms switch
    {
        null => "-",
        < 10 => ms.Value.ToString("0.00", CultureInfo.InvariantCulture) + "ms",
        < 100 => ms.Value.ToString("0.0", CultureInfo.InvariantCulture) + "ms",
        _ => ms.Value.ToString("0", CultureInfo.InvariantCulture) + "ms",
    };
}
