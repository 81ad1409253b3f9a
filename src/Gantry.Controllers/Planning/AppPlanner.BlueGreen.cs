using Gantry.Controllers.Engine;
using Gantry.Model.Releases;
using Gantry.Model.Status;

namespace Gantry.Controllers.Planning;

/// <summary>Blue-green and canary planning: whole sets side by side, traffic moved by the route table.</summary>
public static partial class AppPlanner
{
    /// <summary>
    /// Blue-green: the whole new set starts beside the live one; when every new replica is ready, traffic
    /// swaps at once (one route table), the old set stays warm for the rollback window, and everything else
    /// drains and stops. Rolling back to a warm release is the same swap with nothing to start.
    /// </summary>
    private static ServiceStatus PlanBlueGreen(ServiceContext s, PlanAccumulator acc)
    {
        var service = s.Service;
        var target = s.Hash!;
        var now = s.Input.Now;
        var replicas = new List<ReplicaStatus>();
        var live = s.Previous?.LiveSpecHash;
        var liveRelease = s.Previous?.LiveRelease;
        var warm = s.Previous?.Warm;
        if (warm is not null && now >= warm.Until)
        {
            warm = null;
        }

        // The target set: one ready-ranked keeper per slot; duplicates and surplus slots go.
        var keepers = new Dictionary<int, ObservedContainer>();
        var others = new List<ObservedContainer>();
        foreach (var group in s.Containers.Where(c => c.SpecHash == target).GroupBy(c => c.Slot))
        {
            var ranked = group.OrderByDescending(Rank).ToList();
            if (group.Key >= 1 && group.Key <= service.Replicas)
            {
                keepers[group.Key] = ranked[0];
                others.AddRange(ranked.Skip(1));
            }
            else
            {
                others.AddRange(ranked);
            }
        }
        var targetReady = keepers.Values.Count(IsReady) == service.Replicas;
        // Probed through the routers' own pools: the swap waits until every router would send the new replicas requests.
        var unroutable = targetReady ? keepers.Values.FirstOrDefault(k => !s.Input.IsRoutable(k.Name)) : null;
        if (unroutable is not null && s.Previous?.LiveSpecHash is { } serving && serving != target)
        {
            targetReady = false;
            acc.WakeAt(now + DrainPoll);
            acc.Waits.Add(new PlanWait(service.Name, $"waiting for the routers to find {unroutable.Name} healthy"));
        }

        // Nothing to protect (first deploy, or the live set is gone): the target serves as its replicas get ready.
        var liveServing = live is not null && live != target && s.Containers.Any(c => c.SpecHash == live && IsReady(c));
        var rolloutFailed = s.Previous?.Rollout is { State: RolloutStates.Failed } failed && failed.Release == s.Input.App.Release;
        // A fresh set of the release that serves (a routed service scaled in on a cluster, docs/decisions/0034): no canary steps,
        // and the release before stays warm, since that is where a rollback goes.
        var freshSet = liveServing && liveRelease == s.Input.App.Release;
        var swapped = false;
        (int Percent, DateTimeOffset StartedAt)? canary = null;
        if (!liveServing)
        {
            if (live != target)
            {
                liveRelease = s.Input.App.Release;
            }
            live = target;
        }
        else if (targetReady && !rolloutFailed && !freshSet && NextCanaryStep(s, acc) is { } step)
        {
            canary = step;
        }
        else if (targetReady && !rolloutFailed)
        {
            if (!freshSet)
            {
                warm = s.Policy.WarmFor > TimeSpan.Zero ? new WarmSet(live!, liveRelease ?? 0, now + s.Policy.WarmFor) : null;
            }
            live = target;
            liveRelease = s.Input.App.Release;
            swapped = true;
        }

        for (var slot = 1; slot <= service.Replicas; slot++)
        {
            if (keepers.TryGetValue(slot, out var keeper))
            {
                var status = ObserveAndHeal(keeper, s, acc);
                replicas.Add(canary is { } share && IsReady(keeper)
                    ? status with { Traffic = TrafficRole.Canary, Weight = share.Percent }
                    : status with { Traffic = live == target && IsReady(keeper) ? TrafficRole.Live : TrafficRole.Staged });
            }
            else if (s.Blocked is not null)
            {
                replicas.Add(Pending(s.Input.App, service, slot, target, s.Blocked));
            }
            else
            {
                acc.Creates.Add(ContainerPlanBuilder.Build(s.Input.App, service, slot, s.Input.ImageIds[service.Name], target, s.Input.Generation, s.Input.Defaults));
                replicas.Add(Pending(s.Input.App, service, slot, target, "creating") with { Traffic = TrafficRole.Staged });
            }
        }

        foreach (var c in s.Containers.Where(c => c.SpecHash != target).Concat(others))
        {
            if (c.SpecHash == live && live != target)
            {
                // Still the live set while the new one is readied: keep it serving, and healing.
                var status = ObserveAndHeal(c, s, acc);
                replicas.Add(status with { Traffic = IsReady(c) ? TrafficRole.Live : TrafficRole.Staged });
            }
            else if (warm is not null && c.SpecHash == warm.SpecHash && c.SpecHash != target && s.Input.PreviousReplicas.GetValueOrDefault(c.Name)?.Traffic != TrafficRole.Draining)
            {
                replicas.Add(Observe(c, s.Input, out _, out _) with { Traffic = TrafficRole.Warm });
            }
            else
            {
                var (kind, reason) = c.SpecHash == target ? (RemovalKind.ScaledIn, $"scaled in to {service.Replicas}")
                    : freshSet && c.SpecHash == s.Previous?.LiveSpecHash ? (RemovalKind.ScaledIn, $"scaled in to {service.Replicas}: a fresh set of {service.Replicas} took the traffic")
                    : warm is null && c.SpecHash == s.Previous?.Warm?.SpecHash ? (RemovalKind.WarmExpired, "its rollback window ended")
                    : (RemovalKind.Replaced, "replaced by the new version");
                AddIfKept(replicas, Retire(s, acc, c, kind, reason));
            }
        }
        if (warm is not null)
        {
            acc.WakeAt(warm.Until);
        }

        var rollout = NextRollout(s, live == target && targetReady, replicas);
        if (canary is { } current && rollout.State != RolloutStates.Failed)
        {
            if (rollout.CanaryPercent != current.Percent)
            {
                acc.Notes.Add(new PlanNote(service.Name, PlanNoteKind.TrafficMoved, $"traffic moved: {current.Percent}% to release {s.Input.App.Release} ({ShortHash(target)}), the rest on release {liveRelease} (canary)"));
            }
            rollout = rollout with { State = RolloutStates.Canary, CanaryPercent = current.Percent, StepStartedAt = current.StartedAt };
        }
        if (swapped && freshSet)
        {
            acc.Notes.Add(new PlanNote(service.Name, PlanNoteKind.TrafficMoved, $"traffic moved to a fresh set of {service.Replicas} of release {s.Input.App.Release} ({ShortHash(target)}); the old set drains"));
        }
        else if (swapped)
        {
            acc.Notes.Add(new PlanNote(service.Name, PlanNoteKind.TrafficMoved, $"traffic moved to release {s.Input.App.Release} ({ShortHash(target)}); {(warm is null ? "the old replicas drain" : $"release {warm.Release} stays warm until {warm.Until:HH:mm:ss}")}"));
        }
        return Summarize(s, replicas) with { LiveSpecHash = live, LiveRelease = liveRelease, Warm = warm, Rollout = rollout };
    }

    /// <summary>
    /// The canary step the new release should be at, or null when it is time for all of the traffic: each
    /// step lasts the analysis window (the automatic rollback judges the canary against the live release meanwhile).
    /// </summary>
    private static (int Percent, DateTimeOffset StartedAt)? NextCanaryStep(ServiceContext s, PlanAccumulator acc)
    {
        var steps = s.Policy.CanarySteps;
        if (steps.Count == 0)
        {
            return null;
        }
        var previous = s.Previous?.Rollout is { } r && r.Release == s.Input.App.Release && s.Previous.SpecHash == s.Hash ? r : null;
        if (previous?.State != RolloutStates.Canary || previous.CanaryPercent is not { } percent || previous.StepStartedAt is not { } started)
        {
            acc.WakeAt(s.Input.Now + StepLength(s.Policy));
            return (steps[0], s.Input.Now);
        }
        if (s.Input.Now - started < StepLength(s.Policy))
        {
            acc.WakeAt(started + StepLength(s.Policy));
            return (percent, started);
        }
        var next = steps.Where(p => p > percent).Order().FirstOrDefault();
        if (next == 0)
        {
            return null;
        }
        acc.WakeAt(s.Input.Now + StepLength(s.Policy));
        return (next, s.Input.Now);
    }

    private static TimeSpan StepLength(ReleasePolicy policy) => policy.AutoRollback?.Window ?? TimeSpan.FromMinutes(1);
}
