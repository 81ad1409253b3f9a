using System.Text.Json;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Control;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Sources;

/// <summary>Follows the server's NDJSON route feed (GET {server}/api/v1/routes/watch) and swaps in every valid table it sends.</summary>
/// <remarks>Each line is a whole table or {"heartbeat":true}. Silence for three heartbeat periods counts as a dead
/// connection. On any failure the router keeps routing from the last table and reconnects with capped exponential backoff.</remarks>
public sealed partial class RouteFeedClient : IAsyncDisposable
{
    public const string WatchPath = "api/v1/routes/watch";
    public static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ServerLink _link;
    private readonly Uri _watchUri;
    private readonly RoutingState _routing;
    private readonly RouterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _reportedVersion = -1;

    public RouteFeedClient(ServerLink link, RoutingState routing, RouterMetrics metrics, TimeProvider time, ILogger logger,
        TimeSpan? initialBackoff = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        _link = link;
        _watchUri = link.Resolve(WatchPath);
        _routing = routing;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        InitialBackoff = initialBackoff ?? TimeSpan.FromMilliseconds(500);
    }

    public TimeSpan InitialBackoff { get; }

    /// <summary>True while a feed connection is open and has delivered its first line.</summary>
    public bool Connected { get; private set; }

    /// <summary>Raised when <see cref="Connected"/> flips: a connection delivered its first line, or one that had was lost
    /// (the server may be restarting; the status reporter then tells it again what this router serves).</summary>
    public event Action? ConnectionChanged;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = InitialBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await FollowAsync(ct).ConfigureAwait(false))
                {
                    backoff = InitialBackoff;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong (network, protocol, a bug in one table), the loop must survive: routing relies on it.
                LogFeedFailed(_logger, _watchUri, ex.Message, backoff);
            }

            SetConnected(false);
            try
            {
                await Task.Delay(backoff, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _metrics.CountFeedReconnect();
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Reads one feed connection to its end; returns true when it delivered at least one line (so backoff resets).</summary>
    private async Task<bool> FollowAsync(CancellationToken ct)
    {
        using var request = _link.NewRequest(HttpMethod.Get, _watchUri);
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using var response = await _link.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"route feed answered {(int)response.StatusCode} {response.ReasonPhrase}; check --server-url and the router token");
        }

        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        using var silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var link = ct.Register(static s => ((CancellationTokenSource)s!).Cancel(), silence);
        var delivered = false;
        while (true)
        {
            silence.CancelAfter(HeartbeatPeriod * 3);
            var line = await reader.ReadLineAsync(silence.Token).ConfigureAwait(false);
            if (line is null)
            {
                return delivered;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            delivered = true;
            SetConnected(true);
            if (line.Length < 64 && line.Contains("\"heartbeat\"", StringComparison.Ordinal))
            {
                continue;
            }

            RouteTableSpec? table;
            try
            {
                table = JsonSerializer.Deserialize(line, RouteTableJsonContext.Default.RouteTableSpec);
            }
            catch (JsonException ex)
            {
                LogTableRejected(_logger, _watchUri, "invalid JSON: " + ex.Message);
                continue;
            }

            if (table is null)
            {
                continue;
            }

            var errors = _routing.Apply(table);
            // The same version comes again after every reconnect: say what is wrong with it once.
            if (errors.Count != 0 && table.Version != _reportedVersion)
            {
                _reportedVersion = table.Version;
                var current = _routing.Current;
                if (current.Version == table.Version)
                {
                    LogEntriesRejected(_logger, table.Version, _watchUri, current.Rejected.Count, string.Join("; ", current.Rejected));
                }
                else
                {
                    LogTableRejected(_logger, _watchUri, string.Join("; ", errors));
                }
            }
        }
    }

    private void SetConnected(bool connected)
    {
        if (Connected != connected)
        {
            Connected = connected;
            ConnectionChanged?.Invoke();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Route feed {Uri} failed: {Reason}; routing continues from the last table, retrying in {Backoff}")]
    private static partial void LogFeedFailed(ILogger logger, Uri uri, string reason, TimeSpan backoff);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Route table {Version} from {Uri}: left out {Count} invalid entries, serving the rest: {Rejected}")]
    private static partial void LogEntriesRejected(ILogger logger, long version, Uri uri, int count, string rejected);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Route feed {Uri} sent a table with no valid route; keeping the current one: {Errors}")]
    private static partial void LogTableRejected(ILogger logger, Uri uri, string errors);
}
