using System.Collections.Concurrent;
using Gantry.Router.Contracts.Requests;

namespace Gantry.Server.Requests;

/// <summary>What the routers reported about recent requests: a bounded ring per app and running counters per route.</summary>
/// <remarks>In memory only: it answers "what is slow right now", not history, so a restart starting empty is fine. Memory is
/// bounded by apps × <see cref="CapacityPerApp"/>; requests without an app label (no route matched) are only counted; an
/// app's ring and route counters go when the app is deleted (<see cref="Forget"/>, from <see cref="RequestLogPruner"/>).</remarks>
public sealed class RequestLog
{
    public const int DefaultCapacityPerApp = 5000;

    private readonly ConcurrentDictionary<string, AppRequestRing> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RouteTrafficState> _routes = new(StringComparer.Ordinal);
    private long _received;
    private long _unrouted;

    public RequestLog(int capacityPerApp = DefaultCapacityPerApp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityPerApp, 1);
        CapacityPerApp = capacityPerApp;
    }

    public int CapacityPerApp { get; }

    /// <summary>Records received from every router since the server started.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Records that matched no route (or carried no route id).</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    /// <summary>Raised after a batch was added, with the apps it named (for the console's live Requests page); handlers must not block.</summary>
    public event Action<IReadOnlyCollection<string>>? Recorded;

    public void Add(IEnumerable<RequestReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        HashSet<string>? named = null;
        foreach (var report in reports)
        {
            Interlocked.Increment(ref _received);
            if (report.RouteId is { Length: > 0 } routeId)
            {
                _routes.GetOrAdd(routeId, static _ => new RouteTrafficState()).Count(report.Status, report.App, report.Service);
            }
            else
            {
                Interlocked.Increment(ref _unrouted);
            }

            if (report.App is { Length: > 0 } app)
            {
                _apps.GetOrAdd(app, static (_, capacity) => new AppRequestRing(capacity), CapacityPerApp).Add(report);
                (named ??= new HashSet<string>(StringComparer.Ordinal)).Add(app);
            }
        }
        if (named is not null)
        {
            Recorded?.Invoke(named);
        }
    }

    /// <summary>
    /// Drops everything kept for <paramref name="app"/>: its ring and the counters of every route that last served it.
    /// Called when the app is deleted, so memory follows the apps that exist, not every app that ever did.
    /// </summary>
    /// <returns>True when anything was dropped.</returns>
    public bool Forget(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var dropped = _apps.TryRemove(app, out _);
        foreach (var (routeId, state) in _routes)
        {
            if (string.Equals(state.App, app, StringComparison.Ordinal))
            {
                dropped |= _routes.TryRemove(new KeyValuePair<string, RouteTrafficState>(routeId, state));
            }
        }
        return dropped;
    }

    /// <summary>Apps with a ring (requests reported since the server started or since they were last forgotten).</summary>
    public IReadOnlyCollection<string> Apps => [.. _apps.Keys];

    /// <summary>True once any request of <paramref name="app"/> was reported.</summary>
    public bool HasApp(string app) => _apps.ContainsKey(app);

    /// <summary>The app's most recent requests, newest first.</summary>
    public IReadOnlyList<RequestReport> Newest(string app, int limit)
    {
        var all = _apps.TryGetValue(app, out var ring) ? ring.NewestFirst() : [];
        return all.Count > limit ? all.GetRange(0, limit) : all;
    }

    /// <summary>The app's slowest recent requests by total time, slowest first (ties: newest first).</summary>
    public IReadOnlyList<RequestReport> Slowest(string app, int count)
    {
        var all = _apps.TryGetValue(app, out var ring) ? ring.NewestFirst() : [];
        // A stable sort keeps newest-first order among equal totals.
        return [.. all.OrderByDescending(r => r.TotalMicroseconds).Take(count)];
    }

    public RouteTrafficState? Route(string routeId) => _routes.TryGetValue(routeId, out var state) ? state : null;

    /// <summary>Median and 99th percentile of total time (microseconds) over the route's requests still in its app's ring.</summary>
    public (long P50, long P99)? Latency(string app, string routeId)
    {
        if (!_apps.TryGetValue(app, out var ring))
        {
            return null;
        }

        var totals = ring.NewestFirst().Where(r => r.RouteId == routeId).Select(r => r.TotalMicroseconds).ToArray();
        if (totals.Length == 0)
        {
            return null;
        }

        Array.Sort(totals);
        return (Percentile(totals, 0.50), Percentile(totals, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static long Percentile(long[] sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
