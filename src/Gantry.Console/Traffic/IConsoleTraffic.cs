using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Traffic;

/// <summary>
/// What the routers and the metrics sampler saw of an app, for the Apps, app, Requests and Metrics pages: the API's own
/// reads (`GET /api/v1/apps/{app}/metrics`, `.../requests`, `/api/v1/routes/stats`), behind its rule (a role in the app's
/// team; none answers as a missing app). Everything here is read from memory: nothing is polled, nothing is written.
/// </summary>
public interface IConsoleTraffic
{
    /// <summary>The app's metrics history over <paramref name="since"/> in steps of <paramref name="step"/> (the API's forms: "15m", "30s").</summary>
    Task<ConsoleChange<AppMetricsView>> MetricsAsync(HttpContext context, string app, string since, string? step, CancellationToken ct);

    /// <summary>The app's routes with their traffic since the server started; null when the user may not see the app.</summary>
    Task<IReadOnlyList<RouteStatsView>?> RoutesAsync(HttpContext context, string app, CancellationToken ct);

    /// <summary>The app's newest (or slowest) requests through the routers, as `gantry requests` lists them; null when hidden.</summary>
    Task<IReadOnlyList<RequestView>?> RequestsAsync(HttpContext context, string app, bool slowest, int limit, CancellationToken ct);
}
