using System.Globalization;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// One target's observed value against its wanted value, in the target's unit (a fraction of the limit, requests per
/// second per replica, seconds). <see cref="Complete"/> is false when some replicas have not reported: the value then
/// counts them as idle, which is safe for scaling out and too weak to scale in on.
/// </summary>
internal sealed record TargetObservation(AutoscaleTarget Target, double Observed, double Wanted, bool Complete)
{
    // Float noise must not turn "exactly at target" into one more replica: ceil(4 * 0.7 / 0.7) is 4.000000000000001.
    private const double Tolerance = 1e-9;

    public double Ratio => Observed / Wanted;

    public bool Above => Ratio > 1 + Tolerance;

    /// <summary>The count at which the observed load would sit at the target (the Kubernetes ratio rule).</summary>
    public int Recommend(int current) => (int)Math.Ceiling(current * Ratio - Tolerance);

    /// <summary>"cpu 91% > 70% target" or "rps 12/replica &lt; 100".</summary>
    public string Describe() => $"{NameOf(Target)} {Format(Observed)}{(Target == AutoscaleTarget.RequestsPerSecond ? "/replica" : "")} " +
        $"{(Above ? ">" : Ratio < 1 - Tolerance ? "<" : "=")} {Format(Wanted)} target";

    /// <summary>The target as x-gantry names it.</summary>
    public static string NameOf(AutoscaleTarget target) => target switch
    {
        AutoscaleTarget.Cpu => "cpu",
        AutoscaleTarget.Memory => "memory",
        AutoscaleTarget.RequestsPerSecond => "rps",
        _ => "p95",
    };

    private string Format(double value) => Target switch
    {
        AutoscaleTarget.Cpu or AutoscaleTarget.Memory => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        AutoscaleTarget.RequestsPerSecond => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => (value * 1000).ToString("0", CultureInfo.InvariantCulture) + "ms",
    };
}
