using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model.Status;
using Gantry.Model;
using Gantry.Router.Contracts.Routes;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Routing;

/// <summary>
/// Keeps the current route table: watches the store's apps (spec and status), rebuilds the table on
/// every change and publishes it when routing really changed. The version is the store's resource
/// version of the change that produced it, so it only grows, across server restarts too.
/// </summary>
/// <remarks>On a cluster it also rebuilds when <see cref="UnroutedNodes"/> changes (a node down, drained or being drained): its
/// replicas leave the table at once, without waiting for the app's status (docs/decisions/0031).</remarks>
public sealed partial class RouteTablePublisher : BackgroundService
{
    private readonly IResourceStore store;
    private readonly TimeProvider time;
    private readonly Releases.RouterFleet fleet;
    private readonly ILogger<RouteTablePublisher> logger;
    private readonly UnroutedNodes? _nodes;
    private readonly Lock _gate = new();
    private long _lastVersion = -1;

    public RouteTablePublisher(IResourceStore store, TimeProvider time, Releases.RouterFleet fleet, ILogger<RouteTablePublisher> logger, UnroutedNodes? nodes = null)
    {
        this.store = store;
        this.time = time;
        this.fleet = fleet;
        this.logger = logger;
        _nodes = nodes;
        if (nodes is not null)
        {
            nodes.Changed += NodesChanged;
        }
    }

    private void NodesChanged()
    {
        lock (_gate)
        {
            if (_lastVersion >= 0)
            {
                Publish(_lastVersion);
            }
        }
    }

    private readonly Dictionary<string, (AppSpec Spec, AppStatus Status, DateTimeOffset CreatedAt)> _apps = new(StringComparer.Ordinal);
    private string _leftOut = "";
    private volatile RouteTableSpec _current = RouteTableSpec.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RouteTableSpec Current => _current;

    private volatile IReadOnlyDictionary<string, (string App, string Service)> _owners = new Dictionary<string, (string, string)>();

    /// <summary>The app and service a cluster of the current table belongs to.</summary>
    public (string App, string Service)? OwnerOf(string clusterId) => _owners.TryGetValue(clusterId, out var owner) ? owner : null;

    /// <summary>Completes when the current table changes after the caller read <see cref="Current"/>.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Completes once the first full table has been built from the store.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var synced = false;
                lock (_gate)
                {
                    _apps.Clear();
                    _lastVersion = -1;
                }
                await foreach (var change in store.WatchAsync(AppKinds.App, stoppingToken).ConfigureAwait(false))
                {
                    lock (_gate)
                    {
                        if (change.Type == ResourceChangeType.Synced)
                        {
                            synced = true;
                        }
                        else if (change.Resource is { } resource)
                        {
                            if (change.Type == ResourceChangeType.Deleted || resource.DeletionRequestedAt is not null)
                            {
                                _apps.Remove(resource.Name);
                            }
                            else
                            {
                                var app = StoredApp.From(resource);
                                _apps[resource.Name] = (app.Spec, app.Status ?? new AppStatus(), resource.CreatedAt);
                            }
                        }
                        if (synced)
                        {
                            _lastVersion = change.ResourceVersion;
                            Publish(change.ResourceVersion);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWatchFailed(logger, e);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
        }
    }

    private void Publish(long version)
    {
        var table = RouteTableBuilder.Build(_apps.Values, _nodes?.Current ?? new HashSet<string>(StringComparer.Ordinal), out var leftOut);
        // Status changes rebuild the table several times a second: say what was left out when that changes, not every pass.
        var described = string.Join("\n", leftOut);
        if (described != _leftOut)
        {
            _leftOut = described;
            foreach (var line in leftOut)
            {
                LogLeftOut(logger, line);
            }
        }
        _owners = RouteTableBuilder.ClusterOwners(_apps.Values.Select(a => a.Spec));
        if (_ready.Task.IsCompleted && RouteTableBuilder.SameRouting(table, _current))
        {
            return;
        }
        _current = table with { Version = Math.Max(version, _current.Version + 1) };
        fleet.TablePublished(_current.Version, RouteTableBuilder.RoutedReplicas(_current), RouteTableBuilder.PresentReplicas(_current));
        _ready.TrySetResult();
        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
        LogPublished(logger, _current.Version, _current.Routes.Count, _current.Clusters.Sum(c => c.Destinations.Count));
    }

    [LoggerMessage(2001, LogLevel.Information, "Route table {Version}: {Routes} routes, {Destinations} destinations")]
    private static partial void LogPublished(ILogger logger, long version, int routes, int destinations);

    [LoggerMessage(2003, LogLevel.Warning, "Route table: {Route} (routes are owned: the oldest app keeps a host and path)")]
    private static partial void LogLeftOut(ILogger logger, string route);

    [LoggerMessage(2002, LogLevel.Warning, "Route table watch failed; re-listing")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
