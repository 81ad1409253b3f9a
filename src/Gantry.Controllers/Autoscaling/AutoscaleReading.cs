namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// One target as a decision saw it: the value observed over the window against the value wanted, in the target's unit
/// (a fraction of the limit, requests per second per replica, seconds). <see cref="Complete"/> is false while some
/// replicas have not reported. What `gantry autoscale` shows as the current values.
/// </summary>
public sealed record AutoscaleReading(AutoscaleTarget Target, double Observed, double Wanted, bool Complete)
{
    /// <summary>The target as x-gantry names it: cpu, memory, rps, p95.</summary>
    public string Name => NameOf(Target);

    public static string NameOf(AutoscaleTarget target) => TargetObservation.NameOf(target);
}
