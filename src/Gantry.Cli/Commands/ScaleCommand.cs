using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry scale APP web=3 worker=1`: sets replica counts, then follows the rollout like deploy.</summary>
public static class ScaleCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var counts = new Argument<string[]>("SERVICE=COUNT") { Description = "New replica count per service, e.g. web=3", Arity = ArgumentArity.OneOrMore };
        var detach = SharedOptions.Detach("Return once the server accepted the change");
        var timeout = SharedOptions.Timeout("How long to wait for the replicas to run (e.g. 90s, 5m)");
        var command = new Command("scale", "Change how many replicas services run") { app, counts, detach, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var request = new ScaleRequest(ParseCounts(parse.GetValue(counts) ?? []));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, name, request, parse.GetValue(detach), SharedOptions.GetTimeout(parse, timeout), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Parses "web=3" pairs; a malformed one is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, int> ParseCounts(IEnumerable<string> pairs)
    {
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0
                || !int.TryParse(pair.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || !Gantry.Model.Names.IsValidServiceName(pair[..equals]))
            {
                throw new CliException(ExitCodes.Usage, $"'{pair}' is not SERVICE=COUNT; write e.g. web=3 (a service name and a whole number, 0 or more)");
            }
            if (!result.TryAdd(pair[..equals], count))
            {
                throw new CliException(ExitCodes.Usage, $"service '{pair[..equals]}' is given twice");
            }
        }
        return result;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, ScaleRequest request, bool detach, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var response = await api.ScaleAsync(app, request, cancellationToken).ConfigureAwait(false);
        var what = string.Join(", ", request.Replicas.Select(p => $"{p.Key}={p.Value}"));
        await context.Out.WriteLineAsync($"scaling {app}: {what} (generation {response.Generation})").ConfigureAwait(false);
        foreach (var warning in response.Warnings ?? [])
        {
            await context.Out.WriteLineAsync($"warning: {warning.Path}: {warning.Message}").ConfigureAwait(false);
        }
        if (detach)
        {
            return ExitCodes.Ok;
        }
        return await DeployCommand.WaitAsync(api, context, app, response, timeout, cancellationToken).ConfigureAwait(false);
    }
}
