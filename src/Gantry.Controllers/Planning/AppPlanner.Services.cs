using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;

namespace Gantry.Controllers.Planning;

/// <summary>Per-service planning by release strategy: slot by slot (rolling, recreate; blue-green is in AppPlanner.BlueGreen.cs), and the drain every routed stop goes through.</summary>
public static partial class AppPlanner
{
    /// <summary>How soon a pass looks again while replicas drain (the routers report every second, and right after each table).</summary>
    public static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Restarts of a new release's replica after which its rollout has failed.</summary>
    public const int FailedAfterRestarts = 2;

    /// <summary>
    /// Rolling and recreate: each slot's replica is replaced by the new version (update_config parallelism and order; delay
    /// between replacements, and monitor, how long the new replicas are watched for failure before the rollout is done).
    /// </summary>
    private static ServiceStatus PlanSlots(ServiceContext s, PlanAccumulator acc)
    {
        var service = s.Service;
        var hash = s.Hash;
        var replicas = new List<ReplicaStatus>();

        foreach (var surplus in s.Containers.Where(c => c.Slot < 1 || c.Slot > service.Replicas))
        {
            AddIfKept(replicas, Retire(s, acc, surplus, RemovalKind.ScaledIn, $"scaled in to {service.Replicas}"));
        }

        var updating = hash is not null && s.Containers.Any(c => c.Slot >= 1 && c.Slot <= service.Replicas && c.SpecHash != hash);
        var parallelism = Math.Max(1, service.Update?.Parallelism ?? 1);
        var startFirst = service.Update?.Order == "start-first" && s.Policy.Strategy != ReleaseStrategy.Recreate;
        var busy = updating
            ? s.Containers.Count(c => c.SpecHash == hash && c.Slot >= 1 && c.Slot <= service.Replicas && !IsReady(c))
            : 0;
        var budget = updating ? Math.Max(0, parallelism - busy) : int.MaxValue;
        // The newest replica of the new version that is ready: update_config.delay and monitor count from its start.
        var newestStart = hash is null ? null : s.Containers
            .Where(c => c.SpecHash == hash && c.Slot >= 1 && c.Slot <= service.Replicas && IsReady(c))
            .Max(c => c.StartedAt);
        if (updating && budget > 0 && s.Policy.Strategy != ReleaseStrategy.Recreate && service.Update?.Delay is { } delay
            && delay > TimeSpan.Zero && newestStart + delay is { } next && next > s.Input.Now)
        {
            budget = 0;
            acc.WakeAt(next);
            acc.Waits.Add(new PlanWait(service.Name, $"update_config.delay: the next replacement starts at {next:HH:mm:ss}"));
        }

        // Recreate: every old replica is gone before the first new one starts (two copies must never share a volume).
        var oldRemain = false;
        if (s.Policy.Strategy == ReleaseStrategy.Recreate && updating && s.Blocked is null)
        {
            foreach (var old in s.Containers.Where(c => c.Slot >= 1 && c.Slot <= service.Replicas && c.SpecHash != hash))
            {
                var draining = Retire(s, acc, old, RemovalKind.Replaced, "replaced by the new version (recreate)");
                oldRemain |= draining is not null;
                AddIfKept(replicas, draining);
            }
            budget = int.MaxValue;
        }

        for (var slot = 1; slot <= service.Replicas; slot++)
        {
            var inSlot = s.Containers.Where(c => c.Slot == slot).ToList();
            var fresh = hash is null ? [] : inSlot.Where(c => c.SpecHash == hash).OrderByDescending(Rank).ToList();
            var outdated = hash is null || s.Policy.Strategy == ReleaseStrategy.Recreate ? [] : inSlot.Where(c => c.SpecHash != hash).ToList();

            foreach (var duplicate in fresh.Skip(1))
            {
                AddIfKept(replicas, Retire(s, acc, duplicate, RemovalKind.Duplicate, "duplicate of the same replica"));
            }

            var keeper = fresh.FirstOrDefault();
            if (keeper is not null)
            {
                if (outdated.Count > 0 && IsReady(keeper) && (!s.Routed || s.Input.IsRoutable(keeper.Name)))
                {
                    foreach (var old in outdated)
                    {
                        AddIfKept(replicas, Retire(s, acc, old, RemovalKind.Replaced, "replaced by the new version"));
                    }
                }
                else
                {
                    replicas.AddRange(outdated.Select(o => Routed(s, Observe(o, s.Input, out _, out _))));
                }
                replicas.Add(Routed(s, ObserveAndHeal(keeper, s, acc)));
                continue;
            }

            if (hash is null)
            {
                // Without a resolved image nothing new can be created; keep reporting what runs.
                replicas.AddRange(inSlot.Select(c => Routed(s, Observe(c, s.Input, out _, out _))));
                if (inSlot.Count == 0)
                {
                    replicas.Add(Pending(s.Input.App, service, slot, "", s.Blocked));
                }
                continue;
            }

            if (s.Blocked is not null || (outdated.Count > 0 && budget <= 0) || oldRemain)
            {
                replicas.AddRange(outdated.Select(c => Routed(s, Observe(c, s.Input, out _, out _))));
                if (outdated.Count == 0)
                {
                    replicas.Add(Pending(s.Input.App, service, slot, hash, s.Blocked ?? (oldRemain ? "waiting for the old replicas to stop (recreate)" : null)));
                }
                continue;
            }

            if (outdated.Count > 0)
            {
                budget--;
                if (!startFirst)
                {
                    var stillDraining = false;
                    foreach (var old in outdated)
                    {
                        var draining = Retire(s, acc, old, RemovalKind.Replaced, "replaced by the new version (stop-first)");
                        stillDraining |= draining is not null;
                        AddIfKept(replicas, draining);
                    }
                    if (stillDraining)
                    {
                        // Stop-first: the new replica starts once the old one has drained and stopped.
                        continue;
                    }
                }
                else
                {
                    replicas.AddRange(outdated.Select(c => Routed(s, Observe(c, s.Input, out _, out _))));
                }
            }
            acc.Creates.Add(ContainerPlanBuilder.Build(s.Input.App, service, slot, s.Input.ImageIds[service.Name], hash, s.Input.Generation, s.Input.Defaults));
            replicas.Add(Pending(s.Input.App, service, slot, hash, "creating"));
        }

        var converged = hash is not null && replicas.Count(r => r.SpecHash == hash && IsReadyReplica(r)) >= service.Replicas
            && replicas.All(r => r.SpecHash == hash);
        // update_config.monitor: a failure of a new replica within it still fails the rollout, so it is done only after.
        var watched = converged;
        var done = s.Previous?.Rollout is { State: RolloutStates.Live } live && live.Release == s.Input.App.Release && s.Previous.SpecHash == hash;
        if (converged && !done && service.Update?.Monitor is { } monitor && monitor > TimeSpan.Zero && newestStart + monitor is { } until && until > s.Input.Now)
        {
            watched = false;
            acc.WakeAt(until);
            acc.Waits.Add(new PlanWait(service.Name, $"update_config.monitor: watching the new replicas for failure until {until:HH:mm:ss}"));
        }
        var rollout = NextRollout(s, watched, replicas);
        return Summarize(s, replicas) with
        {
            LiveSpecHash = watched ? hash : s.Previous?.LiveSpecHash ?? hash,
            LiveRelease = watched ? s.Input.App.Release : s.Previous?.LiveRelease ?? s.Input.App.Release,
            Rollout = rollout,
        };
    }

    /// <summary>
    /// Takes a replica out of service. Replicas of routed services leave the route table first and are
    /// stopped only when every router has finished their requests (or the drain timeout passed); returns
    /// the draining replica's status while it waits, null once it is planned for removal.
    /// </summary>
    private static ReplicaStatus? Retire(ServiceContext s, PlanAccumulator acc, ObservedContainer c, RemovalKind kind, string reason)
    {
        var previous = s.Input.PreviousReplicas.GetValueOrDefault(c.Name);
        var wasRouted = previous?.Traffic is TrafficRole.Live or TrafficRole.Canary && previous.DrainingSince is null;
        if (!s.Routed || !c.IsRunning || (!wasRouted && s.Input.IsDrained(c.Name)))
        {
            acc.Removals.Add(new PlannedRemoval(c, kind, reason));
            return null;
        }
        var since = previous?.DrainingSince ?? s.Input.Now;
        if (s.Input.Now - since >= s.Policy.DrainTimeout)
        {
            acc.Removals.Add(new PlannedRemoval(c, kind, $"{reason} (drain timed out after {s.Policy.DrainTimeout.TotalSeconds:0} s)"));
            return null;
        }
        if (previous?.DrainingSince is null)
        {
            acc.Notes.Add(new PlanNote(s.Service.Name, PlanNoteKind.Draining, $"{c.Name} leaves the route table and drains: {reason}"));
        }
        acc.WakeAt(s.Input.Now + DrainPoll);
        acc.Waits.Add(new PlanWait(s.Service.Name, $"{c.Name} draining"));
        return Observe(c, s.Input, out _, out _) with { Traffic = TrafficRole.Draining, DrainingSince = since, Message = $"draining: {reason}" };
    }

    private static ReplicaStatus ObserveAndHeal(ObservedContainer c, ServiceContext s, PlanAccumulator acc)
    {
        var status = Observe(c, s.Input, out var start, out var due);
        if (start is not null)
        {
            acc.Starts.Add(start);
        }
        if (due is not null)
        {
            acc.WakeAt(due.Value);
            acc.Waits.Add(new PlanWait(s.Service.Name, $"{c.Name} restarts at {due.Value:HH:mm:ss} (backoff)"));
        }
        return status;
    }

    /// <summary>For rolling and recreate on a routed service: every ready replica serves (both versions, during a rolling update).</summary>
    private static ReplicaStatus Routed(ServiceContext s, ReplicaStatus r) =>
        s.Routed ? r with { Traffic = IsReadyReplica(r) ? TrafficRole.Live : TrafficRole.Staged } : r;

    private static void AddIfKept(List<ReplicaStatus> replicas, ReplicaStatus? draining)
    {
        if (draining is not null)
        {
            replicas.Add(draining);
        }
    }

    /// <summary>Carries the rollout of the app's current release forward: staging until the new version serves, then live; failed when its replicas keep failing or the progress deadline passes.</summary>
    private static RolloutStatus NextRollout(ServiceContext s, bool serving, IReadOnlyList<ReplicaStatus> replicas)
    {
        var now = s.Input.Now;
        var release = s.Input.App.Release;
        var previous = s.Previous?.Rollout;
        // A fresh set of the release that is live (a cluster's scale-in, docs/decisions/0034) is not a rollout of its own: the
        // release stays live, and a fresh set that never gets ready leaves the serving set as it is.
        var rollout = previous is not null && previous.Release == release
            && (s.Previous?.SpecHash == s.Hash || (previous.State == RolloutStates.Live && s.Previous?.LiveRelease == release))
            ? previous
            : new RolloutStatus { Release = release, State = RolloutStates.Staging, StartedAt = now };
        if (rollout.State is RolloutStates.Live or RolloutStates.Failed)
        {
            return rollout;
        }
        if (serving)
        {
            return rollout with { State = RolloutStates.Live, LiveAt = now, Message = null };
        }
        var failing = replicas.FirstOrDefault(r => r.SpecHash == s.Hash && r.Traffic != TrafficRole.Draining
            && (r.Health == "unhealthy" || r.OomKilled || r.Restarts >= FailedAfterRestarts || r.GaveUp));
        if (failing is not null && s.Previous?.LiveSpecHash is { } live && live != s.Hash)
        {
            return rollout with { State = RolloutStates.Failed, Message = $"{failing.Name}: {failing.Message ?? (failing.Health == "unhealthy" ? "failing its health check" : failing.State)}" };
        }
        if (now - rollout.StartedAt > s.Policy.ProgressDeadline && s.Previous?.LiveSpecHash is { } before && before != s.Hash)
        {
            return rollout with { State = RolloutStates.Failed, Message = $"not every replica was ready within {s.Policy.ProgressDeadline.TotalSeconds:0} s" };
        }
        return rollout;
    }

    private static ServiceStatus Summarize(ServiceContext s, List<ReplicaStatus> replicas) => new(s.Service.Name)
    {
        Image = s.Service.Image,
        ImageId = s.Input.ImageIds.GetValueOrDefault(s.Service.Name),
        SpecHash = s.Hash,
        Desired = s.Service.Replicas,
        Running = replicas.Count(r => r.State == "running" && r.SpecHash == s.Hash),
        Healthy = replicas.Count(r => r.State == "running" && r.SpecHash == s.Hash && r.Health is "healthy" or "none"),
        Replicas = replicas.OrderBy(r => r.Slot).ThenBy(r => r.Name, StringComparer.Ordinal).ToList(),
    };

    private static bool IsReadyReplica(ReplicaStatus r) => r.State == "running" && r.Health is "healthy" or "none";

    private static string ShortHash(string hash) => hash.Length > 8 ? hash[..8] : hash;

    /// <summary>What one service's planning needs to know.</summary>
    private sealed record ServiceContext(PlanInput Input, ServiceSpec Service, IReadOnlyList<ObservedContainer> Containers, string? Hash, string? Blocked, ServiceStatus? Previous)
    {
        public ReleasePolicy Policy { get; } = Service.Release ?? new ReleasePolicy();

        public bool Routed => Policy.Routed;
    }
}

/// <summary>A sentence the reconciler records as an event when the plan is applied (a traffic swap, a drain starting).</summary>
public sealed record PlanNote(string Service, PlanNoteKind Kind, string Message);

/// <summary>What a <see cref="PlanNote"/> reports; the reconciler picks the event's reason from it, never from the prose.</summary>
public enum PlanNoteKind
{
    /// <summary>Traffic moved between releases (a blue-green swap or a canary step).</summary>
    TrafficMoved,
    /// <summary>A replica left the route table and drains before it stops.</summary>
    Draining,
}

/// <summary>The lists one plan collects across services.</summary>
internal sealed class PlanAccumulator(List<PlannedRemoval> removals, List<ContainerPlan> creates, List<PlannedStart> starts, List<PlanWait> waits)
{
    public List<PlannedRemoval> Removals { get; } = removals;

    public List<ContainerPlan> Creates { get; } = creates;

    public List<PlannedStart> Starts { get; } = starts;

    public List<PlanWait> Waits { get; } = waits;

    public List<PlanNote> Notes { get; } = [];

    public DateTimeOffset? Wake { get; private set; }

    public void WakeAt(DateTimeOffset at) => Wake = Wake is null || at < Wake ? at : Wake;
}
