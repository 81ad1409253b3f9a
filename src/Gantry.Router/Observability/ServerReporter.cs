using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Control;
using Gantry.Router.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Observability;

/// <summary>Sends the requests finished since the last batch to the server (`POST {server}/api/v1/router/requests`) every few seconds.</summary>
/// <remarks>It reads the <see cref="RecentRequests"/> ring with a cursor, so the request path does no extra work and nothing is
/// buffered beyond the ring itself. A batch holds at most <see cref="MaxBatch"/> records; whatever the ring overwrote, the cap
/// cut, or an unreachable server refused is counted in <see cref="Dropped"/> and never retried, so an outage costs memory
/// nothing and the server sees the newest traffic first when it comes back.</remarks>
public sealed partial class ServerReporter : IAsyncDisposable
{
    public const string RequestsPath = "api/v1/router/requests";
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(5);

    private readonly ServerLink _link;
    private readonly Uri _uri;
    private readonly RecentRequests _recent;
    private readonly RoutingState _routing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutageLog _outage = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RequestRecord> _pending = [];
    private long _cursor;
    private long _sent;
    private long _dropped;
    private Task? _loop;

    public ServerReporter(ServerLink link, RecentRequests recent, RoutingState routing, TimeProvider time, ILogger logger,
        TimeSpan? interval = null, int maxBatch = 2000)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _link = link;
        _uri = link.Resolve(RequestsPath);
        _recent = recent;
        _routing = routing;
        _time = time;
        _logger = logger;
        Interval = interval ?? DefaultInterval;
        MaxBatch = maxBatch;
        // Records that finished before the reporter started belong to no batch: start from the ring's current end.
        _cursor = recent.Position;
    }

    public TimeSpan Interval { get; }

    public int MaxBatch { get; }

    /// <summary>Records the server accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Records lost: overwritten in the ring before a batch, over the batch cap, or in a batch the server did not accept.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, ct).ConfigureAwait(false);
                await FlushAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Sends one batch of what finished since the previous one; returns how many records the server accepted.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        _pending.Clear();
        Interlocked.Add(ref _dropped, _recent.CopySince(ref _cursor, MaxBatch, _pending));
        if (_pending.Count == 0)
        {
            return 0;
        }

        var batch = new RequestReportBatch(ToReports(_pending, _routing.Current), Dropped);
        var outcome = await _link.PostAsync(_uri, batch, RequestReportJsonContext.Default.RequestReportBatch, PostTimeout, _time, ct).ConfigureAwait(false);
        if (!outcome.IsAccepted)
        {
            Interlocked.Add(ref _dropped, batch.Requests.Count);
            // One warning per outage, not one per batch.
            if (_outage.Failed())
            {
                LogSendFailed(_logger, _uri, outcome.Failure!);
            }

            return 0;
        }

        Interlocked.Add(ref _sent, batch.Requests.Count);
        if (_outage.Succeeded())
        {
            LogRecovered(_logger, _uri, Dropped);
        }

        return batch.Requests.Count;
    }

    /// <summary>Copies the records into the wire shape, adding the destination's labels from the current table.</summary>
    public static List<RequestReport> ToReports(IReadOnlyList<RequestRecord> records, RouteSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(snapshot);
        var reports = new List<RequestReport>(records.Count);
        foreach (var r in records)
        {
            var labels = FindLabels(snapshot, r.ClusterId, r.DestinationId);
            reports.Add(new RequestReport
            {
                Time = r.Time,
                Entrypoint = r.Entrypoint,
                Host = r.Host,
                Method = r.Method,
                Path = r.Path,
                Status = r.Status,
                RouteId = r.RouteId,
                ClusterId = r.ClusterId,
                DestinationId = r.DestinationId,
                App = labels?.GetValueOrDefault("app"),
                Service = labels?.GetValueOrDefault("service"),
                Replica = labels?.GetValueOrDefault("replica") ?? r.DestinationId,
                Outcome = r.Outcome,
                Attempts = r.Attempts,
                BytesIn = r.BytesIn,
                BytesOut = r.BytesOut,
                TraceId = r.TraceId,
                RequestId = r.RequestId,
                Error = r.Error,
                RouteMicroseconds = r.RouteMicroseconds,
                HeldMicroseconds = r.HeldMicroseconds,
                WaitMicroseconds = r.WaitMicroseconds,
                ConnectMicroseconds = r.ConnectMicroseconds,
                UpstreamHeadersMicroseconds = r.UpstreamHeadersMicroseconds,
                BodyMicroseconds = r.BodyMicroseconds,
                TotalMicroseconds = r.TotalMicroseconds,
            });
        }

        return reports;
    }

    private static IReadOnlyDictionary<string, string>? FindLabels(RouteSnapshot snapshot, string? clusterId, string? destinationId)
    {
        if (clusterId is null || destinationId is null || !snapshot.Clusters.TryGetValue(clusterId, out ClusterState? cluster))
        {
            return null;
        }

        foreach (var destination in cluster.Destinations)
        {
            if (destination.Id == destinationId)
            {
                return destination.Spec.Labels;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            // The last couple of seconds of traffic are worth one more short attempt on a clean shutdown.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            try
            {
                await FlushAsync(last.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Add(ref _dropped, _pending.Count);
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Could not report requests to {Uri}: {Reason}; dropping them until it answers")]
    private static partial void LogSendFailed(ILogger logger, Uri uri, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Reporting requests to {Uri} again ({Dropped} dropped so far)")]
    private static partial void LogRecovered(ILogger logger, Uri uri, long dropped);
}
