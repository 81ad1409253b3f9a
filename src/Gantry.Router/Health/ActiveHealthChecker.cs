using Gantry.Router.Clusters;
using Gantry.Router.Routing;
using Gantry.Router.Upstream;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Health;

/// <summary>Probes every destination of clusters that declare a health check, through the same connection pool as live traffic.</summary>
/// <remarks>One scheduler loop walks the current snapshot on a short tick and starts each due probe without awaiting it,
/// so a slow destination never delays the others. A table swap wakes the loop so new destinations are probed at once.
/// Probing through the traffic pool matters: a probe then also tests (and warms) the very connections requests will use.</remarks>
public sealed partial class ActiveHealthChecker : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private readonly RoutingState _routing;
    private readonly UpstreamPool _upstream;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task? _loop;

    public ActiveHealthChecker(RoutingState routing, UpstreamPool upstream, TimeProvider time, ILogger logger)
    {
        _routing = routing;
        _upstream = upstream;
        _time = time;
        _logger = logger;
        _routing.Swapped += _ => Wake();
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Asks the loop to look for due probes now instead of at the next tick.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the loop will run anyway.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = _time.GetTimestamp();
            foreach (var cluster in _routing.Current.Clusters.Values)
            {
                if (cluster.Spec.Health is null)
                {
                    continue;
                }

                foreach (var destination in cluster.Destinations)
                {
                    if (now >= destination.NextProbeAt && destination.TryBeginProbe())
                    {
                        _ = ProbeAsync(cluster, destination, ct);
                    }
                }
            }

            try
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(Tick, _time, tick.Token);
                await Task.WhenAny(delay, _wake.WaitAsync(tick.Token)).ConfigureAwait(false);
                await tick.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one probe and records the result; any 2xx/3xx within the timeout passes.</summary>
    internal async Task ProbeAsync(ClusterState cluster, DestinationState destination, CancellationToken ct)
    {
        var spec = cluster.Spec.Health!;
        var passed = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(spec.Timeout);
            var status = await _upstream.ProbeAsync(_upstream.EndpointOf(destination), spec.Path, timeout.Token).ConfigureAwait(false);
            passed = status is >= 200 and < 400;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            destination.EndProbe();
            return;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            passed = false;
        }

        var changed = destination.ReportProbe(passed, spec);
        destination.NextProbeAt = _time.GetTimestamp() + (long)(spec.Interval.TotalSeconds * _time.TimestampFrequency);
        destination.EndProbe();
        if (changed)
        {
            _routing.ReportHealthChanged();
            LogHealthChanged(_logger, cluster.Id, destination.Id, destination.ActiveHealth);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Destination {ClusterId}/{DestinationId} is now {Health} (active health check)")]
    private static partial void LogHealthChanged(ILogger logger, string clusterId, string destinationId, HealthState health);
}
