using System.Collections.Concurrent;

namespace Gantry.Router.Observability;

/// <summary>Router-wide metric cells: per-route traffic (kept across table swaps by route id) and process-level counters.</summary>
public sealed class RouterMetrics
{
    private readonly ConcurrentDictionary<string, TrafficMetrics> _routes = new(StringComparer.Ordinal);
    private long _noRoute;
    private long _tableSwaps;
    private long _tableRejected;
    private long _accessLogDropped;
    private long _feedReconnects;
    private long _frontFallbacks;

    /// <summary>Resolved at table compile time, never on the request path.</summary>
    public TrafficMetrics ForRoute(string routeId) => _routes.GetOrAdd(routeId, static _ => new TrafficMetrics());

    public IEnumerable<KeyValuePair<string, TrafficMetrics>> Routes => _routes;

    /// <summary>Traffic that matched no route on its entrypoint (answered 404).</summary>
    public TrafficMetrics Unrouted { get; } = new();

    public long NoRoute => Volatile.Read(ref _noRoute);

    public long TableSwaps => Volatile.Read(ref _tableSwaps);

    public long TableRejected => Volatile.Read(ref _tableRejected);

    public long AccessLogDropped => Volatile.Read(ref _accessLogDropped);

    public long FeedReconnects => Volatile.Read(ref _feedReconnects);

    /// <summary>Connections the plain-HTTP front handed to Kestrel's HTTP/1.1 at a request outside its subset (docs/decisions/0028).</summary>
    public long FrontFallbacks => Volatile.Read(ref _frontFallbacks);

    public void CountFrontFallback() => Interlocked.Increment(ref _frontFallbacks);

    public void CountNoRoute() => Interlocked.Increment(ref _noRoute);

    public void CountTableSwap() => Interlocked.Increment(ref _tableSwaps);

    public void CountTableRejected() => Interlocked.Increment(ref _tableRejected);

    public void CountAccessLogDropped() => Interlocked.Increment(ref _accessLogDropped);

    public void CountFeedReconnect() => Interlocked.Increment(ref _feedReconnects);
}
