using Gantry.Model.Releases;
using Gantry.Router.Contracts.Requests;

namespace Gantry.Server.Releases;

/// <summary>
/// Compares the traffic a new release served with what the release before it served (pure): a 5xx rate
/// higher by more than the policy's margin, or a p95 latency more than its ratio (and 50 ms) slower with
/// the median slower too, is a regression. Too few requests decide nothing.
/// </summary>
public static class ReleaseAnalysis
{
    /// <summary>Latency differences below this are noise, whatever the ratio.</summary>
    public static readonly TimeSpan MinLatencyDifference = TimeSpan.FromMilliseconds(50);

    public static Verdict Judge(IReadOnlyList<RequestReport> fresh, IReadOnlyList<RequestReport> before, AutoRollbackPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(policy);
        if (fresh.Count == 0 || fresh.Count < policy.MinRequests)
        {
            return new Verdict(false, $"{fresh.Count} requests so far (deciding from {policy.MinRequests})", fresh.Count);
        }
        var freshRate = ErrorRate(fresh);
        var beforeRate = before.Count == 0 ? 0 : ErrorRate(before);
        if (freshRate - beforeRate > policy.MaxErrorRateIncrease)
        {
            return new Verdict(true,
                $"its error rate was {freshRate:P0} over {fresh.Count} requests against {beforeRate:P0} over {before.Count} before (allowed: {policy.MaxErrorRateIncrease:P0} more)", fresh.Count);
        }
        if (before.Count >= policy.MinRequests)
        {
            var freshP95 = PercentileMs(fresh, 0.95);
            var beforeP95 = PercentileMs(before, 0.95);
            // A busy node stretches the tail of every release alike; a slower release moves its median too. Both must
            // move (the median by half the allowed ratio) before a release is judged slower.
            var freshP50 = PercentileMs(fresh, 0.5);
            var beforeP50 = PercentileMs(before, 0.5);
            if (freshP95 > beforeP95 * policy.MaxLatencyRatio && freshP95 - beforeP95 > MinLatencyDifference.TotalMilliseconds
                && freshP50 > beforeP50 * (1 + (policy.MaxLatencyRatio - 1) / 2))
            {
                return new Verdict(true, $"its p95 latency was {freshP95:0} ms against {beforeP95:0} ms before (allowed: {policy.MaxLatencyRatio:0.#}x), p50 {freshP50:0} ms against {beforeP50:0} ms", fresh.Count);
            }
        }
        return new Verdict(false, $"healthy: {freshRate:P0} errors over {fresh.Count} requests", fresh.Count);
    }

    /// <summary>Answers the release is to blame for: 5xx, the upstream failing or timing out, or no replica fit to answer.</summary>
    public static bool IsFailure(RequestReport r) =>
        r.Status >= 500 && r.Outcome is not (RequestOutcome.NoRoute or RequestOutcome.ClientAborted)
        || r.Outcome is RequestOutcome.UpstreamError or RequestOutcome.Timeout or RequestOutcome.NoDestination;

    private static double ErrorRate(IReadOnlyList<RequestReport> reports) => reports.Count(IsFailure) / (double)reports.Count;

    private static double PercentileMs(IReadOnlyList<RequestReport> reports, double fraction)
    {
        var sorted = reports.Select(r => r.TotalMicroseconds).Order().ToArray();
        return Requests.RequestLog.Percentile(sorted, fraction) / 1000.0;
    }
}

/// <param name="Regressed">True when the release should be rolled back.</param>
/// <param name="Reason">Why, in words (recorded with the rollback).</param>
public sealed record Verdict(bool Regressed, string Reason, int Requests);
