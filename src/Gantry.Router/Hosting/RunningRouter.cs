using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Front;
using Gantry.Router.Health;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Sources;
using Microsoft.AspNetCore.Builder;

namespace Gantry.Router.Hosting;

/// <summary>A started router: its bound ports, its live routing state, and how to stop it.</summary>
public sealed class RunningRouter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SocketFront[] _sockets;
    private readonly IAsyncDisposable[] _owned;
    private readonly TimeProvider _time;
    private int _disposed;

    internal RunningRouter(string id, WebApplication app, SocketFront[] sockets, RoutingState routing, RouterMetrics metrics, RecentRequests recent,
        ActiveHealthChecker health, RouteFeedClient? feed, RouterStatusReporter? status, TimeProvider time, IAsyncDisposable[] owned)
    {
        Id = id;
        _app = app;
        _sockets = sockets;
        Routing = routing;
        Metrics = metrics;
        Recent = recent;
        Health = health;
        Feed = feed;
        Status = status;
        _owned = owned;
        _time = time;
    }

    /// <summary>This router's id in status reports: fixed for its lifetime (RouterOptions.RouterId, or host-pid-random).</summary>
    public string Id { get; }

    public int ExternalHttpPort { get; internal set; }

    public int? ExternalHttpsPort { get; internal set; }

    public int? ExternalH2cPort { get; internal set; }

    public int? InternalPort { get; internal set; }

    public int? AdminPort { get; internal set; }

    public RoutingState Routing { get; }

    public RouterMetrics Metrics { get; }

    public RecentRequests Recent { get; }

    public ActiveHealthChecker Health { get; }

    public RouteFeedClient? Feed { get; }

    /// <summary>The status heartbeat to the server; null when no ServerUrl is set.</summary>
    public RouterStatusReporter? Status { get; }

    /// <summary>The table being served now.</summary>
    public RouteTableSpec CurrentTable => Routing.Current.Table;

    /// <summary>Validates and swaps in a table (as the feed does); returns every error and keeps the old table if there are any.</summary>
    public IReadOnlyList<ConfigError> ApplyTable(RouteTableSpec table) => Routing.Apply(table);

    /// <summary>What the status heartbeat would report now (also available without a server).</summary>
    public RouterStatusReport CaptureStatus() => RouterStatusReporter.Capture(Id, Routing, _time.GetUtcNow());

    /// <summary>Completes when the host stops (Ctrl+C is not hooked: the caller's token decides).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop taking requests first (the router's own listeners and Kestrel each drain their in-flight ones), then the
        // background loops, then flush the log.
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Task.WhenAll([.. _sockets.Select(s => s.DisposeAsync().AsTask()), _app.StopAsync(drain.Token)]).ConfigureAwait(false);
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
