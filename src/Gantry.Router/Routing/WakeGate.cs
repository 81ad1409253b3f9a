using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;

namespace Gantry.Router.Routing;

/// <summary>
/// Holds a request whose service scales to zero (<see cref="ClusterSpec.Wake"/>) and has no destination: asks for the
/// service to be woken, then waits until a newer table or a health change gives the cluster a destination that can take
/// the request, or the wake's timeout passes. Wakes on the routing state's own signals, so a held request costs a task and
/// no polling beyond a re-ask a second; nothing runs while no request is held.
/// </summary>
public sealed class WakeGate
{
    /// <summary>How often a held request looks again without a signal, and asks again (the asker deduplicates).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private readonly RoutingState _routing;
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    public WakeGate(RoutingState routing, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(routing);
        _routing = routing;
        _time = time;
        routing.Swapped += _ => Signal();
        routing.HealthChanged += Signal;
    }

    /// <summary>Asks the server to start the service (set when the router follows a server; without one, requests only wait).</summary>
    public Action<WakeSpec>? Ask { get; set; }

    /// <summary>
    /// Waits for <paramref name="cluster"/> (as the newest table has it) to have a destination; returns that cluster, or
    /// null when the wake's timeout, counted from <paramref name="heldSince"/> (when the request was first held), passed
    /// or the cluster left the table.
    /// </summary>
    public async Task<ClusterState?> HoldAsync(ClusterState cluster, long heldSince, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var wake = cluster.Spec.Wake ?? throw new ArgumentException($"cluster '{cluster.Id}' does not scale to zero", nameof(cluster));
        var started = heldSince;
        while (true)
        {
            // Taken before looking, so a swap between the look and the wait is not missed.
            var changed = Volatile.Read(ref _changed).Task;
            if (!_routing.Current.Clusters.TryGetValue(cluster.Id, out var current) || current.Spec.Wake is null)
            {
                return null;
            }
            if (current.Pick(_time.GetTimestamp()) is not null)
            {
                return current;
            }
            var left = wake.Timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            Ask?.Invoke(wake);
            try
            {
                await changed.WaitAsync(left < Recheck ? left : Recheck, _time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again (a destination's ejection may have ended) and ask again.
            }
        }
    }

    /// <summary>
    /// A woken replica refused the connection (it is running but not listening yet: a service without a health check
    /// enters the table as soon as it starts). Nothing reached it, so the request waits <see cref="ConnectRetryDelay"/>
    /// and tries again while the wake's timeout, counted from <paramref name="heldSince"/>, allows; false when it does not.
    /// </summary>
    public async Task<bool> AwaitListeningAsync(WakeSpec wake, long heldSince, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var left = wake.Timeout - _time.GetElapsedTime(heldSince);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }
        await Task.Delay(left < ConnectRetryDelay ? left : ConnectRetryDelay, _time, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The pause between connection attempts to a replica that was just woken.</summary>
    public static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(50);

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
