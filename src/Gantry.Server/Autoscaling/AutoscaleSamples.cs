using Gantry.Controllers.Autoscaling;
using Gantry.Model.Api;
using Gantry.Server.Metrics;

namespace Gantry.Server.Autoscaling;

/// <summary>
/// The metrics history's series of one service turned into what a decision reads: each replica's CPU and memory as
/// fractions of its limits, and the service's requests per second and p95 per 10 s slot. Pure.
/// </summary>
public static class AutoscaleSamples
{
    /// <summary>
    /// How far back a decision looks: the need is read from the last two passes, but an idle replica is read only every
    /// <see cref="MetricsSampler.IdleInterval"/>, so the window holds at least one read of each (with a pass to spare).
    /// </summary>
    public static readonly TimeSpan Window = MetricsSampler.IdleInterval + 2 * MetricsSampler.Interval;

    public static (List<ReplicaUsage> Usage, List<TrafficSample> Traffic) From(IEnumerable<MetricSeriesPoints> series, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(series);
        var usage = new Dictionary<(string Replica, DateTimeOffset At), (double? Cpu, double? Memory)>();
        var requests = new Dictionary<DateTimeOffset, double>();
        var p95 = new Dictionary<DateTimeOffset, double>();
        foreach (var s in series)
        {
            var (replica, metric) = (s.Key.Replica, s.Key.Metric);
            foreach (var point in s.Points)
            {
                if (replica.Length > 0 && metric is MetricNames.Cpu or MetricNames.Memory)
                {
                    var key = (replica, point.At);
                    var (cpu, memory) = usage.GetValueOrDefault(key);
                    usage[key] = metric == MetricNames.Cpu ? (point.Avg, memory) : (cpu, point.Avg);
                }
                else if (replica.Length == 0 && metric is MetricNames.Requests2xx or MetricNames.Requests3xx or MetricNames.Requests4xx or MetricNames.Requests5xx)
                {
                    requests[point.At] = requests.GetValueOrDefault(point.At) + point.Sum;
                }
                else if (replica.Length == 0 && metric == MetricNames.LatencyP95)
                {
                    p95[point.At] = point.Avg;
                }
            }
        }
        var seconds = step.TotalSeconds;
        return (
            usage.OrderBy(u => u.Key.At).ThenBy(u => u.Key.Replica, StringComparer.Ordinal)
                .Select(u => new ReplicaUsage(u.Key.At, u.Key.Replica, u.Value.Cpu, u.Value.Memory)).ToList(),
            requests.OrderBy(r => r.Key)
                .Select(r => new TrafficSample(r.Key, r.Value / seconds, p95.TryGetValue(r.Key, out var ms) && r.Value > 0 ? TimeSpan.FromMilliseconds(ms) : null))
                .ToList());
    }
}
