using Gantry.Router.Contracts.Routes;
using Gantry.Router.Observability;

namespace Gantry.Router.Clusters;

/// <summary>Mutable runtime state of one destination (health, in-flight requests, metrics) that survives table swaps while cluster id, destination id and address stay the same.</summary>
public sealed class DestinationState
{
    private int _inFlight;
    private int _activeHealth;
    private int _consecutivePasses;
    private int _consecutiveProbeFailures;
    private int _consecutivePassiveFailures;
    private long _ejectedUntil;
    private int _probing;

    public DestinationState(string clusterId, DestinationSpec spec)
    {
        ClusterId = clusterId;
        Id = spec.Id;
        Spec = spec;
        // Kept without the trailing slash so the request URI is one concatenation with the path.
        BaseAddress = spec.Address.TrimEnd('/');
    }

    public string ClusterId { get; }

    public string Id { get; }

    /// <summary>The latest spec (labels may change between tables without resetting state; weights live in the snapshot).</summary>
    public DestinationSpec Spec { get; internal set; }

    public string BaseAddress { get; }

    /// <summary>The upstream pool's connections to <see cref="BaseAddress"/>, looked up once (see <see cref="Upstream.UpstreamPool.EndpointOf"/>).</summary>
    internal Upstream.UpstreamEndpoint? Upstream { get; set; }

    public TrafficMetrics Metrics { get; } = new();

    public int InFlight => Volatile.Read(ref _inFlight);

    public HealthState ActiveHealth => (HealthState)Volatile.Read(ref _activeHealth);

    /// <summary>Timestamp (TimeProvider ticks) until which passive health keeps this destination out; 0 when not ejected.</summary>
    public long EjectedUntil => Volatile.Read(ref _ejectedUntil);

    /// <summary>Timestamp of the next active probe; 0 means "as soon as possible" (new destinations).</summary>
    internal long NextProbeAt { get; set; }

    public void EnterRequest() => Interlocked.Increment(ref _inFlight);

    public void LeaveRequest() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Whether health allows new requests here: not passively ejected, and healthy when the cluster probes actively.</summary>
    /// <remarks>Weight is deliberately not part of this shared state: it belongs to each snapshot (see <see cref="ClusterState.Weights"/>),
    /// so a request still running on an older table never sees a half-applied mix of old and new weights.</remarks>
    public bool IsAvailable(bool requireHealthy, long now)
    {
        var ejected = Volatile.Read(ref _ejectedUntil);
        if (ejected != 0 && now < ejected)
        {
            return false;
        }

        var health = (HealthState)Volatile.Read(ref _activeHealth);
        return requireHealthy ? health == HealthState.Healthy : health != HealthState.Unhealthy;
    }

    /// <summary>Records an active probe result and returns true when the health state changed.</summary>
    public bool ReportProbe(bool passed, HealthCheckSpec spec)
    {
        var before = ActiveHealth;
        if (passed)
        {
            Volatile.Write(ref _consecutiveProbeFailures, 0);
            var passes = Interlocked.Increment(ref _consecutivePasses);
            if (before != HealthState.Healthy && passes >= spec.HealthyThreshold)
            {
                Volatile.Write(ref _activeHealth, (int)HealthState.Healthy);
                // A healthy probe ends a passive ejection early: the destination demonstrably answers again.
                Volatile.Write(ref _ejectedUntil, 0);
                Volatile.Write(ref _consecutivePassiveFailures, 0);
            }
        }
        else
        {
            Volatile.Write(ref _consecutivePasses, 0);
            var failures = Interlocked.Increment(ref _consecutiveProbeFailures);
            // An unknown destination that fails its first probe is unhealthy at once; a healthy one needs the threshold.
            if (before == HealthState.Unknown || (before == HealthState.Healthy && failures >= spec.UnhealthyThreshold))
            {
                Volatile.Write(ref _activeHealth, (int)HealthState.Unhealthy);
            }
        }

        return before != ActiveHealth;
    }

    /// <summary>Records the outcome of live traffic; returns true when this call ejected the destination.</summary>
    /// <param name="unreachable">The attempt could not even connect (refused, unreachable, or no answer within the connect
    /// timeout): that is evidence about the address, not about one request, so it ejects at once instead of after
    /// <see cref="PassiveHealthSpec.ConsecutiveFailures"/>. A replica whose node died would otherwise cost every request that
    /// picks it a connect timeout until its node's replicas leave the table (docs/decisions/0031).</param>
    public bool ReportTraffic(bool failed, PassiveHealthSpec spec, long now, long reactivationTicks, bool unreachable = false)
    {
        if (!failed)
        {
            if (Volatile.Read(ref _consecutivePassiveFailures) != 0)
            {
                Volatile.Write(ref _consecutivePassiveFailures, 0);
            }

            return false;
        }

        if (!spec.Enabled)
        {
            return false;
        }

        var failures = Interlocked.Increment(ref _consecutivePassiveFailures);
        if (failures < spec.ConsecutiveFailures && !unreachable)
        {
            return false;
        }

        Volatile.Write(ref _consecutivePassiveFailures, 0);
        Volatile.Write(ref _ejectedUntil, now + reactivationTicks);
        // Re-probe as soon as the ejection ends so recovery is confirmed quickly.
        NextProbeAt = now + reactivationTicks;
        return true;
    }

    internal bool TryBeginProbe() => Interlocked.Exchange(ref _probing, 1) == 0;

    internal void EndProbe() => Volatile.Write(ref _probing, 0);
}
