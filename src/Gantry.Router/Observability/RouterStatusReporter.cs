using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gantry.Router.Clusters;
using Gantry.Router.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Observability;

/// <summary>Posts the router's heartbeat (<see cref="RouterStatusReport"/>: table version in force, in-flight requests per destination) to `POST {server}/api/v1/router/status` every <see cref="Interval"/> and right after each table swap.</summary>
/// <remarks>The server drains a replica only when every router reports a table without it and no request in flight on it,
/// so the report after a swap is sent at once (at most one such extra report per <see cref="ExtraReportSpacing"/>; swaps
/// in between coalesce into it). Everything runs on its own loop: a slow or absent server delays only the next heartbeat,
/// never a request or a swap. Counting reads the per-destination counters the request path keeps anyway.</remarks>
public sealed partial class RouterStatusReporter : IAsyncDisposable
{
    public const string StatusPath = "api/v1/router/status";
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ExtraReportSpacing = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(3);

    private readonly Uri _uri;
    private readonly string? _token;
    private readonly RoutingState _routing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = NewWake();
    private long _lastExtraTs;
    private long _sent;
    private long _failures;
    private bool _failing;
    private Task? _loop;

    public RouterStatusReporter(Uri serverUrl, string? token, string routerId, RoutingState routing, TimeProvider time, ILogger logger,
        TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentException.ThrowIfNullOrEmpty(routerId);
        var baseUri = serverUrl.AbsoluteUri.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/");
        _uri = new Uri(baseUri, StatusPath);
        _token = token;
        RouterId = routerId;
        _routing = routing;
        _time = time;
        _logger = logger;
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string RouterId { get; }

    public TimeSpan Interval { get; }

    /// <summary>Reports the server accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Reports that failed (server unreachable or not 2xx); each is simply superseded by the next one.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Starts the loop; the first report goes out at once so the server learns of this router without waiting.</summary>
    public void Start()
    {
        _routing.Swapped += OnSwapped;
        _routing.HealthChanged += OnHealthChanged;
        _wake.TrySetResult();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>What the router would report now: the current table's version and every destination with requests in flight.</summary>
    public static RouterStatusReport Capture(string routerId, RoutingState routing, DateTimeOffset now)
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
        var ticks = routing.Time.GetTimestamp();
        foreach (var cluster in snapshot.Clusters.Values)
        {
            foreach (var destination in cluster.Destinations)
            {
                if (!destination.IsAvailable(cluster.HasActiveHealth, ticks))
                {
                    unready.Add(destination.Id);
                }
            }
        }
        unready.Sort(StringComparer.Ordinal);

        return new RouterStatusReport(routerId, snapshot.Version, now, inFlight) { Unready = unready, Rejected = snapshot.Rejected };
    }

    /// <summary>Captures and posts one report now; returns whether the server accepted it.</summary>
    public async Task<bool> SendAsync(CancellationToken ct)
    {
        var report = Capture(RouterId, _routing, _time.GetUtcNow());
        using var timeout = new CancellationTokenSource(PostTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
            {
                Content = JsonContent.Create(report, RouterStatusJsonContext.Default.RouterStatusReport),
            };
            if (!string.IsNullOrEmpty(_token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }

            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return false;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Failed(ex.Message);
            return false;
        }

        Interlocked.Increment(ref _sent);
        if (_failing)
        {
            _failing = false;
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
                await SendAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Returns when the interval has passed or a swap asked for a report (spaced by <see cref="ExtraReportSpacing"/>).</summary>
    private async Task WaitForTurnAsync(CancellationToken ct)
    {
        var wake = Volatile.Read(ref _wake);
        using (var nap = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var delay = Task.Delay(Interval, _time, nap.Token);
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

    private void Failed(string reason)
    {
        Interlocked.Increment(ref _failures);
        // One warning per outage, not one per second.
        if (!_failing)
        {
            _failing = true;
            LogSendFailed(_logger, _uri, reason);
        }
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
        }

        _http.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Could not send router status to {Uri}: {Reason}; retrying every interval")]
    private static partial void LogSendFailed(ILogger logger, Uri uri, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Router status reaches {Uri} again")]
    private static partial void LogRecovered(ILogger logger, Uri uri);
}
