using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Control;
using Gantry.Router.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Observability;

/// <summary>Posts the router's status (<see cref="RouterStatusReport"/>: table version in force, unready destinations, in-flight
/// requests per destination) to `POST {server}/api/v1/router/status` when its meaning changes, and otherwise once per keepalive.</summary>
/// <remarks>The server swaps traffic and drains a replica only on what every router reported, so a report whose meaning
/// changed (<see cref="RouterStatusMeaning"/>: a table applied, a health change, a drained destination's last request ended)
/// goes out at once: after a swap or a health change immediately (at most one such extra report per
/// <see cref="ExtraReportSpacing"/>; changes in between coalesce into it), after anything else at the next local check
/// (<see cref="CheckInterval"/>, which only reads counters). Otherwise only a keepalive goes out (<see cref="StatusHeartbeat"/>),
/// so an idle router costs the server one small post per keepalive. A failed post, or a route feed that dropped or came back
/// (the server may have restarted and forgotten this router), makes the next check send again. Everything runs on its own loop:
/// a slow or absent server delays only the next report, never a request or a swap.</remarks>
public sealed partial class RouterStatusReporter : IAsyncDisposable
{
    public const string StatusPath = "api/v1/router/status";
    public static readonly TimeSpan DefaultKeepalive = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ExtraReportSpacing = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(3);

    private readonly ServerLink _link;
    private readonly Uri _uri;
    private readonly RoutingState _routing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutageLog _outage = new();
    private readonly StatusHeartbeat _heartbeat;
    private readonly long _startedTs;
    private readonly IReadOnlyList<CertificateExpiry>? _certificates;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = NewWake();
    private long _lastExtraTs;
    private long _sent;
    private long _failures;
    private int _forget;
    private Task? _loop;

    public RouterStatusReporter(ServerLink link, string routerId, RoutingState routing, TimeProvider time, ILogger logger,
        TimeSpan? keepalive = null, TimeSpan? checkInterval = null, Func<double>? random = null, IReadOnlyList<CertificateExpiry>? certificates = null)
    {
        _certificates = certificates is { Count: > 0 } ? certificates : null;
        ArgumentNullException.ThrowIfNull(link);
        ArgumentException.ThrowIfNullOrEmpty(routerId);
        _link = link;
        _uri = link.Resolve(StatusPath);
        RouterId = routerId;
        _routing = routing;
        _time = time;
        _logger = logger;
        _heartbeat = new StatusHeartbeat(keepalive ?? DefaultKeepalive, random ?? Random.Shared.NextDouble);
        CheckInterval = checkInterval ?? DefaultCheckInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckInterval, TimeSpan.Zero);
        _startedTs = time.GetTimestamp();
    }

    public string RouterId { get; }

    /// <summary>The mean time between two reports when nothing the server acts on changes.</summary>
    public TimeSpan Keepalive => _heartbeat.Keepalive;

    /// <summary>How often the loop samples the status locally to see whether its meaning changed (no I/O when it did not).</summary>
    public TimeSpan CheckInterval { get; }

    /// <summary>Reports the server accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Reports that failed (server unreachable or not 2xx); the next check sends again.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Starts the loop; the first report goes out at once so the server learns of this router without waiting.</summary>
    public void Start()
    {
        _routing.Swapped += OnSwapped;
        _routing.HealthChanged += OnHealthChanged;
        _wake.TrySetResult();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Sends the status at once even if its meaning did not change: the server may have lost what it knew (its route
    /// feed connection dropped or came back, so it may have restarted).</summary>
    public void Resend()
    {
        Volatile.Write(ref _forget, 1);
        Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>What the router would report now: the current table's version and every destination with requests in flight.</summary>
    public static RouterStatusReport Capture(string routerId, RoutingState routing, DateTimeOffset now) => Sample(routerId, routing, now).Report;

    /// <summary>The report as <see cref="Capture"/> takes it, with what it means to the server.</summary>
    public static (RouterStatusReport Report, RouterStatusMeaning Meaning) Sample(string routerId, RoutingState routing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(routing);
        // Current first, retired second: a swap retires dropped states before publishing the new snapshot, so each busy
        // state is in at least one of the two; "seen" keeps one in both from counting twice.
        var snapshot = routing.Current;
        var seen = new HashSet<DestinationState>(ReferenceEqualityComparer.Instance);
        var counts = new Dictionary<(string Cluster, string Destination), int>();
        foreach (var cluster in snapshot.Clusters.Values)
        {
            foreach (var destination in cluster.Destinations)
            {
                Count(destination, seen, counts);
            }
        }

        var retired = new List<DestinationState>();
        routing.Retired.CollectBusy(retired);
        foreach (var destination in retired)
        {
            Count(destination, seen, counts);
        }

        var inFlight = new List<DestinationInFlight>(counts.Count);
        foreach (var ((cluster, destination), count) in counts)
        {
            inFlight.Add(new DestinationInFlight(cluster, destination, count));
        }

        inFlight.Sort(static (a, b) =>
        {
            var byCluster = string.CompareOrdinal(a.ClusterId, b.ClusterId);
            return byCluster != 0 ? byCluster : string.CompareOrdinal(a.DestinationId, b.DestinationId);
        });

        var unready = new List<string>();
        var routed = new HashSet<(string, string)>();
        var ticks = routing.Time.GetTimestamp();
        foreach (var cluster in snapshot.Clusters.Values)
        {
            for (var i = 0; i < cluster.Destinations.Length; i++)
            {
                var destination = cluster.Destinations[i];
                if (!destination.IsAvailable(cluster.HasActiveHealth, ticks))
                {
                    unready.Add(destination.Id);
                }

                if (cluster.Weights[i] > 0)
                {
                    routed.Add((cluster.Id, destination.Id));
                }
            }
        }
        unready.Sort(StringComparer.Ordinal);

        var report = new RouterStatusReport(routerId, snapshot.Version, now, inFlight) { Unready = unready, Rejected = snapshot.Rejected };
        return (report, RouterStatusMeaning.Of(report, routed));
    }

    /// <summary>Captures and posts one report now, whatever its meaning; returns whether the server accepted it.</summary>
    public Task<bool> SendAsync(CancellationToken ct) => PostAsync(Capture(RouterId, _routing, _time.GetUtcNow()) with { Certificates = _certificates }, ct);

    private async Task<bool> PostAsync(RouterStatusReport report, CancellationToken ct)
    {
        var outcome = await _link.PostAsync(_uri, report, RouterStatusJsonContext.Default.RouterStatusReport, PostTimeout, _time, ct).ConfigureAwait(false);
        if (!outcome.IsAccepted)
        {
            Interlocked.Increment(ref _failures);
            if (_outage.Failed())
            {
                LogSendFailed(_logger, _uri, outcome.Failure!);
            }

            return false;
        }

        Interlocked.Increment(ref _sent);
        if (_outage.Succeeded())
        {
            LogRecovered(_logger, _uri);
        }

        return true;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await WaitForTurnAsync(ct).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _forget, 0) == 1)
                {
                    _heartbeat.Forget();
                }

                var (report, meaning) = Sample(RouterId, _routing, _time.GetUtcNow());
                var now = _time.GetElapsedTime(_startedTs);
                if (!_heartbeat.ShouldSend(meaning, now))
                {
                    continue;
                }

                if (await PostAsync(report with { Certificates = _certificates }, ct).ConfigureAwait(false))
                {
                    _heartbeat.Delivered(meaning, now);
                }
                else
                {
                    // The server may not have it (or may have restarted meanwhile): try again at the next check.
                    _heartbeat.Forget();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Returns when the next local check is due, or at once when a swap, a health change or <see cref="Resend"/> asked
    /// for a report (spaced by <see cref="ExtraReportSpacing"/>).</summary>
    private async Task WaitForTurnAsync(CancellationToken ct)
    {
        var wake = Volatile.Read(ref _wake);
        using (var nap = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var delay = Task.Delay(CheckInterval, _time, nap.Token);
            var first = await Task.WhenAny(delay, wake.Task).ConfigureAwait(false);
            await nap.CancelAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (first != wake.Task)
            {
                return;
            }
        }

        // Replace the signal before sending: a swap from now on completes the new one and gets its own report.
        Interlocked.CompareExchange(ref _wake, NewWake(), wake);
        if (_lastExtraTs != 0)
        {
            var since = _time.GetElapsedTime(_lastExtraTs);
            if (since < ExtraReportSpacing)
            {
                await Task.Delay(ExtraReportSpacing - since, _time, ct).ConfigureAwait(false);
            }
        }

        _lastExtraTs = _time.GetTimestamp();
    }

    private void OnSwapped(RouteSnapshot snapshot) => Volatile.Read(ref _wake).TrySetResult();

    private void OnHealthChanged() => Volatile.Read(ref _wake).TrySetResult();

    private static void Count(DestinationState destination, HashSet<DestinationState> seen, Dictionary<(string, string), int> counts)
    {
        var n = destination.InFlight;
        if (n <= 0 || !seen.Add(destination))
        {
            return;
        }

        // A retired state and its replacement (same ids, new address) are one destination to the server.
        var key = (destination.ClusterId, destination.Id);
        counts[key] = counts.GetValueOrDefault(key) + n;
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _routing.Swapped -= OnSwapped;
        _routing.HealthChanged -= OnHealthChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            // Say goodbye, so the server stops waiting on this router at once instead of after its silence (30 s): the host
            // stopped taking requests before its loops, so nothing is routed through it any more. One short try.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            try
            {
                await PostAsync(Capture(RouterId, _routing, _time.GetUtcNow()) with { Leaving = true }, last.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The server did not answer in time; it forgets this router after its silence.
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Could not send router status to {Uri}: {Reason}; retrying at every check")]
    private static partial void LogSendFailed(ILogger logger, Uri uri, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Router status reaches {Uri} again")]
    private static partial void LogRecovered(ILogger logger, Uri uri);
}
