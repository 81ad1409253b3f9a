using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// Turns the window's samples into one observation per target the policy sets. Only samples taken once the last
/// change of the count has settled count: earlier ones describe a different number of replicas. The need is read from
/// <c>from</c> on (the last passes); a replica with no sample that recent but one since the settle point keeps its newest
/// one, because the sampler reads an idle replica only once a minute (its counters did not move, so neither did its
/// use). A target without such samples is listed as missing, never guessed.
/// </summary>
internal static class TargetObservations
{
    public static (List<TargetObservation> Observed, List<AutoscaleTarget> Missing) Observe(AutoscaleSpec spec, int current, IReadOnlyList<ReplicaUsage> usage, IReadOnlyList<TrafficSample> traffic, DateTimeOffset from, DateTimeOffset settled)
    {
        var observed = new List<TargetObservation>();
        var missing = new List<AutoscaleTarget>();
        void Add(AutoscaleTarget target, double? wanted, (double Value, bool Complete)? value)
        {
            if (wanted is not { } w)
            {
                return;
            }
            if (value is { } v)
            {
                observed.Add(new TargetObservation(target, v.Value, w, v.Complete));
            }
            else
            {
                missing.Add(target);
            }
        }
        var recentUsage = RecentUsage(usage, from, settled);
        var recentTraffic = traffic.Where(t => t.At >= from).ToList();
        Add(AutoscaleTarget.Cpu, spec.Cpu, Utilisation(recentUsage, current, u => u.Cpu));
        Add(AutoscaleTarget.Memory, spec.Memory, Utilisation(recentUsage, current, u => u.Memory));
        Add(AutoscaleTarget.RequestsPerSecond, spec.RequestsPerSecond,
            recentTraffic.Count == 0 ? null : (recentTraffic.Average(t => t.RequestsPerSecond) / Math.Max(current, 1), true));
        Add(AutoscaleTarget.P95, spec.P95?.TotalSeconds, Latency(recentTraffic));
        return (observed, missing);
    }

    /// <summary>Each replica's samples from <paramref name="from"/> on, or else its newest one since <paramref name="settled"/>.</summary>
    private static List<ReplicaUsage> RecentUsage(IReadOnlyList<ReplicaUsage> usage, DateTimeOffset from, DateTimeOffset settled) =>
        [.. usage.Where(u => u.At >= settled).GroupBy(u => u.Replica, StringComparer.Ordinal).SelectMany(g =>
        {
            var recent = g.Where(u => u.At >= from).ToList();
            return recent.Count > 0 ? recent : [g.MaxBy(u => u.At)!];
        })];

    /// <summary>
    /// The service's average use of a limit: each replica's mean over the window, summed and shared over the count.
    /// A replica that has not reported (just started) counts as idle, so new replicas that are not up yet do not
    /// trigger another scale-out (as Kubernetes does for pods without metrics).
    /// </summary>
    private static (double, bool)? Utilisation(List<ReplicaUsage> usage, int current, Func<ReplicaUsage, double?> pick)
    {
        var perReplica = usage.Where(u => pick(u) is not null).GroupBy(u => u.Replica, StringComparer.Ordinal)
            .Select(g => g.Average(u => pick(u)!.Value)).ToList();
        if (perReplica.Count == 0)
        {
            return null;
        }
        var replicas = Math.Max(current, perReplica.Count);
        return (perReplica.Sum() / replicas, perReplica.Count >= current);
    }

    /// <summary>The window's mean p95 in seconds; a window with traffic data but no request has no latency pressure (0).</summary>
    private static (double, bool)? Latency(List<TrafficSample> traffic)
    {
        if (traffic.Count == 0)
        {
            return null;
        }
        var values = traffic.Where(t => t.P95 is not null).Select(t => t.P95!.Value.TotalSeconds).ToList();
        return (values.Count == 0 ? 0 : values.Average(), true);
    }
}
