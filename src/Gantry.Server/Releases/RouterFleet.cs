using Gantry.Controllers.Releases;

namespace Gantry.Server.Releases;

/// <summary>
/// What the server knows of the routers that follow its route table: which table version each one
/// applied, which replicas it finds unready and which it still has requests on (from their status reports,
/// sent at once when one of these changes and otherwise as a keepalive every 10 s ±10 %).
/// It answers the controller's two questions: is a new replica routable by every router, and has every
/// router stopped sending to a replica about to be stopped and finished what it sent?
/// </summary>
public sealed class RouterFleet(TimeProvider time) : ITrafficGate
{
    /// <summary>A router silent for longer is considered gone (it cannot be routing through this server's table): three of
    /// the routers' keepalives (10 s, at most 11 s with jitter), so one lost or late keepalive never drops a live router.
    /// A router that stops cleanly says so (<see cref="Forget"/>) and stops counting at once; only a crashed one is waited
    /// out, and a drain's timeout bounds that wait anyway.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(30);

    /// <summary>After the server starts, routers get this long to report before the fleet takes their silence for "no router":
    /// before it, a replica they might still know does not count as drained, nor a new one as routable.</summary>
    /// <remarks>A router resends as soon as its route feed drops or returns, and retries every second while the post fails,
    /// but a restarting server on a busy machine was measured taking 5-6 s to answer its first posts (CrashSafetyTests' blue-green
    /// under load), and a router whose feed did not notice the restart (no FIN: a host reboot, a partition) reports only at its
    /// next keepalive, 11 s at most. So the grace covers one keepalive. Its cost: a server with no router at all waits until
    /// 12 s after its start before the first swap or drain it gates.</remarks>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(12);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RouterReport> _routers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unroutedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _presentSince = new(StringComparer.Ordinal);
    private HashSet<string> _routed = new(StringComparer.Ordinal);
    private long _firstVersion = -1;
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>Called by the publisher with every table it publishes: the replicas it routes to.</summary>
    public void TablePublished(long version, IReadOnlySet<string> routed, IReadOnlySet<string>? present = null)
    {
        lock (_lock)
        {
            foreach (var replica in _presentSince.Keys.Where(r => present?.Contains(r) != true).ToList())
            {
                _presentSince.Remove(replica);
            }
            foreach (var replica in present ?? routed)
            {
                _presentSince.TryAdd(replica, version);
            }
            if (_firstVersion < 0)
            {
                _firstVersion = version;
            }
            foreach (var replica in _routed)
            {
                if (!routed.Contains(replica))
                {
                    _unroutedAt[replica] = version;
                }
            }
            foreach (var replica in routed)
            {
                _unroutedAt.Remove(replica);
            }
            _routed = new HashSet<string>(routed, StringComparer.Ordinal);
        }
    }

    /// <summary>Records one router's status report.</summary>
    public void Report(string router, long tableVersion, IEnumerable<KeyValuePair<string, int>> inFlight, IEnumerable<string>? unready = null)
    {
        var busy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (destination, count) in inFlight)
        {
            if (count > 0)
            {
                busy[destination] = busy.GetValueOrDefault(destination) + count;
            }
        }
        lock (_lock)
        {
            _routers[router] = new RouterReport(tableVersion, busy, (unready ?? []).ToHashSet(StringComparer.Ordinal), time.GetUtcNow());
        }
    }

    /// <summary>A router said it stops (its last report): it no longer counts for swaps or drains.</summary>
    public void Forget(string router)
    {
        lock (_lock)
        {
            _routers.Remove(router);
        }
    }

    /// <summary>The routers heard from recently, with the table version each applied.</summary>
    public IReadOnlyList<(string Router, long TableVersion, DateTimeOffset SeenAt)> Routers()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return _routers.Where(r => now - r.Value.SeenAt <= Silence).Select(r => (r.Key, r.Value.TableVersion, r.Value.SeenAt)).ToList();
        }
    }

    /// <summary>
    /// Requests in flight per replica, summed over the routers heard from recently; null when no router is, so a metric
    /// says "not reported" instead of a zero nobody measured.
    /// </summary>
    public IReadOnlyDictionary<string, int>? InFlight()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var alive = _routers.Values.Where(r => now - r.SeenAt <= Silence).ToList();
            if (alive.Count == 0)
            {
                return null;
            }
            var total = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (replica, count) in alive.SelectMany(r => r.InFlight))
            {
                total[replica] = total.GetValueOrDefault(replica) + count;
            }
            return total;
        }
    }

    public bool IsDrained(string replica)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_routed.Contains(replica) || _firstVersion < 0)
            {
                return false;
            }
            // A replica unrouted before this server started may still be in a router's saved table: wait
            // until the routers have reported a table from this server (or the grace passed with none).
            var since = _unroutedAt.TryGetValue(replica, out var version) ? version : _firstVersion;
            var alive = _routers.Values.Where(r => now - r.SeenAt <= Silence).ToList();
            if (alive.Count == 0)
            {
                return now - _started >= StartupGrace;
            }
            return alive.All(r => r.TableVersion >= since && !r.InFlight.ContainsKey(replica));
        }
    }

    public bool IsRoutable(string replica)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var alive = _routers.Values.Where(r => now - r.SeenAt <= Silence).ToList();
            if (alive.Count == 0)
            {
                // No router: nothing to wait for, once the routers that follow this server had time to report after it started.
                return now - _started >= StartupGrace;
            }
            return _presentSince.TryGetValue(replica, out var since)
                && alive.All(r => r.TableVersion >= since && !r.Unready.Contains(replica));
        }
    }

    private sealed record RouterReport(long TableVersion, IReadOnlyDictionary<string, int> InFlight, IReadOnlySet<string> Unready, DateTimeOffset SeenAt);
}
