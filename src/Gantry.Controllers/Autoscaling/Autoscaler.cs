using System.Globalization;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// The autoscaler's decision as a pure function of <see cref="AutoscaleInput"/>, so every rule is tested without a
/// clock, an engine or a router. Out is quick and in is slow: a target above its value adds replicas at once by the
/// ratio rule (at most doubling per step), while replicas are removed only when every target has been below for the
/// whole scale-in delay, down to the highest count the delay's window asked for (Kubernetes' stabilisation window).
/// Floors (min, the schedule) and max bound both; missing samples never remove a replica.
/// </summary>
public static class Autoscaler
{
    /// <summary>
    /// After the count changes, samples are read only from this long after it: replicas just added are still starting
    /// and those just removed are still draining, so earlier samples describe neither the old count nor the new one.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far back the need is read: the last two sampler passes (10 s apart; 15 s never reaches a third). A step in load shows within them instead of being
    /// averaged away over a minute (which held a doubling of traffic back for half a minute); the scale-in delay, which
    /// keeps the highest need seen over its whole span, is what keeps a short dip from removing replicas.
    /// </summary>
    public static readonly TimeSpan Recent = TimeSpan.FromSeconds(15);

    /// <summary>When the policy's schedule next raises a floor (see <see cref="ScheduleFloors.NextStart"/>); null when it never does.</summary>
    public static DateTimeOffset? NextFloorStart(AutoscaleSpec spec, DateTimeOffset now, TimeZoneInfo zone) =>
        ScheduleFloors.NextStart(spec.Schedule, now, zone);

    public static AutoscaleDecision Decide(AutoscaleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var history = WithTraffic(input.History, input.Traffic);
        var (scheduled, entry) = ScheduleFloors.At(input.Spec.Schedule, input.Now, input.Zone);
        var floor = new Floor(Math.Min(input.Spec.Max, Math.Max(input.Spec.Min, scheduled)), entry is not null && scheduled > input.Spec.Min ? entry : null, input.Spec.Min);
        var (proposal, next) = input.Current == 0 ? (AtZero(input, floor), history) : Running(input, floor, history);
        return Place(input, proposal, next) with { Readings = proposal.Readings };
    }

    private static Proposal AtZero(AutoscaleInput input, Floor floor)
    {
        // Only requests after the count went to zero wake it: the window still holds the traffic the last replica served
        // before it idled out, and reading that again would wake the service right after stopping it.
        var since = input.History.LastChange ?? DateTimeOffset.MinValue;
        if (input.Traffic.Any(t => t.RequestsPerSecond > 0 && t.At >= since))
        {
            return new Proposal(Math.Max(1, floor.Count), AutoscaleReason.Wake, "a request arrived at zero replicas");
        }
        return floor.Count > 0
            ? new Proposal(floor.Count, floor.Reason, floor.Describe())
            : new Proposal(0, AutoscaleReason.Idle, "no request");
    }

    private static (Proposal, AutoscaleHistory) Running(AutoscaleInput input, Floor floor, AutoscaleHistory history)
    {
        var (proposal, next, readings) = Judge(input, floor, history);
        return (proposal with { Readings = readings }, next);
    }

    private static (Proposal, AutoscaleHistory, IReadOnlyList<AutoscaleReading>) Judge(AutoscaleInput input, Floor floor, AutoscaleHistory history)
    {
        var (spec, current, now) = (input.Spec, input.Current, input.Now);
        if (IsIdle(spec, floor, history, now))
        {
            return (new Proposal(0, AutoscaleReason.Idle, $"no request for {Short(spec.Idle!.Value)}"), history, []);
        }

        var since = history.LastChange is { } changed ? changed + Settle : DateTimeOffset.MinValue;
        var settling = now < since;
        var from = since > now - Recent ? since : now - Recent;
        var (observed, missing) = TargetObservations.Observe(spec, current, input.Usage, input.Traffic, from, since);
        var known = missing.Count == 0 && observed.Count > 0 && observed.All(o => o.Complete);
        var recommendation = known ? Math.Clamp(observed.Max(o => o.Recommend(current)), Math.Max(1, spec.Min), spec.Max) : current;
        if (!settling)
        {
            // Unknown need is recorded as the current count, so a gap in the data holds scale-in for a whole delay.
            history = history.Remember(now, recommendation, spec.ScaleInDelay);
        }
        var all = string.Join(", ", observed.Select(o => o.Describe()));
        IReadOnlyList<AutoscaleReading> readings = [.. observed.Select(o => new AutoscaleReading(o.Target, o.Observed, o.Wanted, o.Complete))];

        if (observed.Where(o => o.Above).MaxBy(o => o.Recommend(current)) is { } above)
        {
            if (current >= spec.Max)
            {
                return (new Proposal(current, AutoscaleReason.AtMax, $"{above.Describe()}, at max {spec.Max}"), history, readings);
            }
            var wanted = above.Recommend(current);
            var count = Math.Min(Math.Min(wanted, current + Math.Max(1, current)), spec.Max);
            var capped = count >= wanted ? "" : count == spec.Max ? $" (max {spec.Max}; wanted {wanted})" : $" (at most doubling per step; wanted {wanted})";
            return (new Proposal(Math.Max(count, floor.Count), AutoscaleReason.AboveTarget, above.Describe() + capped), history, readings);
        }
        if (current > spec.Max)
        {
            return (new Proposal(spec.Max, AutoscaleReason.Maximum, $"above max {spec.Max}"), history, readings);
        }
        if (current < floor.Count)
        {
            return (new Proposal(floor.Count, floor.Reason, floor.Describe()), history, readings);
        }
        if (settling)
        {
            return (new Proposal(current, AutoscaleReason.Settling, $"settling for {Short(Settle)} after the change at {history.LastChange:HH:mm:ss}"), history, readings);
        }
        if (!known)
        {
            var waiting = missing.Concat(observed.Where(o => !o.Complete).Select(o => o.Target)).Select(TargetObservation.NameOf);
            return (new Proposal(current, AutoscaleReason.MissingData, $"waiting for samples of {string.Join(", ", waiting)}"), history, readings);
        }
        if (recommendation >= current)
        {
            return (new Proposal(current, AutoscaleReason.WithinTargets, all), history, readings);
        }
        var delay = Short(spec.ScaleInDelay);
        if (!history.Covers(now - spec.ScaleInDelay))
        {
            return (new Proposal(current, AutoscaleReason.Stabilising, $"{all}, for less than the {delay} scale-in delay"), history, readings);
        }
        if (history.Highest >= current)
        {
            return (new Proposal(current, AutoscaleReason.Stabilising, $"{all}, but {history.Highest} were needed within {delay}"), history, readings);
        }
        if (floor.Count >= current)
        {
            return (new Proposal(current, floor.Reason, $"{all}, held by {floor.Describe()}"), history, readings);
        }
        return (new Proposal(Math.Max(history.Highest, floor.Count), AutoscaleReason.BelowTargets, $"{all} for {delay}"), history, readings);
    }

    /// <summary>Scale to zero needs min 0, no floor, and router data showing no request for the whole idle time.</summary>
    private static bool IsIdle(AutoscaleSpec spec, Floor floor, AutoscaleHistory history, DateTimeOffset now) =>
        spec is { Min: 0, Idle: { } idle } && floor.Count == 0 && history.TrafficSince is { } since
        && now - (history.LastRequestAt > since ? history.LastRequestAt.Value : since) >= idle;

    /// <summary>The traffic clock moved on by the window: a window without router data restarts it, so a gap is never read as idleness.</summary>
    private static AutoscaleHistory WithTraffic(AutoscaleHistory history, IReadOnlyList<TrafficSample> traffic)
    {
        if (traffic.Count == 0)
        {
            return history with { TrafficSince = null };
        }
        var lastRequest = traffic.Where(t => t.RequestsPerSecond > 0).Select(t => (DateTimeOffset?)t.At).Max();
        return history with
        {
            TrafficSince = history.TrafficSince ?? traffic.Min(t => t.At),
            LastRequestAt = lastRequest > history.LastRequestAt || history.LastRequestAt is null ? lastRequest : history.LastRequestAt,
        };
    }

    /// <summary>The proposal as far as the resource guard lets it go, with its message and the history's record of a change.</summary>
    private static AutoscaleDecision Place(AutoscaleInput input, Proposal proposal, AutoscaleHistory history)
    {
        var (current, now) = (input.Current, input.Now);
        var placed = proposal.Count;
        string? limitedBy = null;
        if (placed > current && input.Capacity is { } room && placed - current > room.More)
        {
            placed = current + Math.Max(0, room.More);
            limitedBy = room.LimitedBy;
        }
        var message = placed == current ? $"hold at {current}: {proposal.Why}" : $"{proposal.Why}: {current} -> {placed}";
        if (limitedBy is not null)
        {
            message += $"; wanted {proposal.Count}, placed {placed}: {limitedBy}";
        }
        history = placed > current ? history with { LastScaleOut = now } : placed < current ? history with { LastScaleIn = now } : history;
        return new AutoscaleDecision(placed, proposal.Reason, message, history) { Wanted = proposal.Count, LimitedBy = limitedBy };
    }

    /// <summary>A duration as x-gantry spells it: 300ms, 5m, 1h30m.</summary>
    public static string Short(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
        }
        var parts = new[] { ((int)span.TotalHours, "h"), (span.Minutes, "m"), (span.Seconds, "s") }.Where(p => p.Item1 > 0);
        return string.Concat(parts.Select(p => p.Item1.ToString(CultureInfo.InvariantCulture) + p.Item2));
    }

    /// <summary>What the decision would run before the guard has its say, and why in words with the numbers.</summary>
    private sealed record Proposal(int Count, AutoscaleReason Reason, string Why)
    {
        public IReadOnlyList<AutoscaleReading> Readings { get; init; } = [];
    }

    /// <summary>The lowest count allowed now: min, or a schedule entry's higher floor (capped by max).</summary>
    private sealed record Floor(int Count, AutoscaleFloor? Entry, int Min)
    {
        public AutoscaleReason Reason => Entry is null ? AutoscaleReason.Minimum : AutoscaleReason.ScheduleFloor;

        public string Describe() => Entry is { } e ? $"schedule '{e.Cron}' floor {Count}" : $"min {Min}";
    }
}
