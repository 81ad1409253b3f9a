using Gantry.Console;
using Gantry.Console.Traffic;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Metrics;
using Gantry.Server.Requests;
using Gantry.Server.Routing;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's traffic views on what the API reads: <see cref="MetricsStore"/> through <see cref="MetricsQuery"/> (the same
/// `since`/`step` rules and answer), the <see cref="RequestLog"/> and the route table, behind the API's viewer rule.
/// </summary>
public sealed class ConsoleTraffic(MetricsStore metrics, RequestLog requests, RouteTablePublisher routes, IResourceStore store, TimeProvider time) : IConsoleTraffic
{
    public async Task<ConsoleChange<AppMetricsView>> MetricsAsync(HttpContext context, string app, string since, string? step, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return ConsoleChange<AppMetricsView>.Failed(denied);
        }
        var (query, error) = MetricsQuery.Parse(since, step);
        if (query is null)
        {
            return ConsoleChange<AppMetricsView>.Failed(ApiResults.ProblemBody(StatusCodes.Status400BadRequest, "Bad request", error));
        }
        var start = query.Start(time.GetUtcNow());
        return ConsoleChange<AppMetricsView>.Done(query.ToView(app, start, metrics.Query(app, null, start, query.Step)));
    }

    public async Task<IReadOnlyList<RouteStatsView>?> RoutesAsync(HttpContext context, string app, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        // The table as it is now; a server still building its first one shows no routes rather than waiting for it.
        return denied is null ? RequestEndpoints.RouteStats(routes.Current, requests, owner => owner == app) : null;
    }

    public async Task<IReadOnlyList<RequestView>?> RequestsAsync(HttpContext context, string app, bool slowest, int limit, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return null;
        }
        var n = Math.Clamp(limit, 1, 1000);
        return [.. (slowest ? requests.Slowest(app, n) : requests.Newest(app, n)).Select(RequestEndpoints.ToView)];
    }
}
