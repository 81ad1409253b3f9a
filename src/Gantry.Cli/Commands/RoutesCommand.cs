using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry routes`: every route the routers serve, where it goes, and how its recent traffic went.</summary>
public static class RoutesCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("routes", "List routes with their traffic: requests, 5xx, p50/p99 latency") { output };
        command.SetAction(async (parse, ct) =>
        {
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var routes = await api.ListRouteStatsAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, routes, JsonOutput.Indented.IReadOnlyListRouteStatsView);
            return ExitCodes.Ok;
        }
        if (routes.Count == 0)
        {
            await context.Out.WriteLineAsync("no routes (add x-gantry: {host: ..., port: ...} to a service to route to it)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        TableWriter.Write(context.Out, ["ROUTE", "APP/SERVICE", "ENTRYPOINT", "DESTINATIONS", "REQUESTS", "5XX", "P50", "P99"],
            routes.Select(Row));
        return ExitCodes.Ok;
    }

    public static IReadOnlyList<string> Row(RouteStatsView route)
    {
        var hosts = route.Hosts.Count == 0 ? "*" : string.Join(',', route.Hosts);
        var path = string.IsNullOrEmpty(route.PathPrefix) ? "/" : route.PathPrefix;
        return
        [
            $"{hosts}{path} →",
            $"{route.App ?? "-"}/{route.Service ?? "-"}",
            route.Entrypoint,
            route.Destinations.ToString(CultureInfo.InvariantCulture),
            route.Requests.ToString(CultureInfo.InvariantCulture),
            route.Status5xx.ToString(CultureInfo.InvariantCulture),
            RequestsCommand.Milliseconds(route.P50Ms),
            RequestsCommand.Milliseconds(route.P99Ms),
        ];
    }
}
