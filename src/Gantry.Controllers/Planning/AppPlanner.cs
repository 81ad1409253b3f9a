using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;

namespace Gantry.Controllers.Planning;

/// <summary>
/// The pure heart of the app controller: diffs the desired app against the containers the engine has
/// and returns what to remove, create and start (Nomad's reconciler shape). No I/O and no clock:
/// the time is an input, so every decision is reproducible in a unit test.
/// </summary>
public static partial class AppPlanner
{
    public static AppPlan Plan(PlanInput input)
    {
        var app = input.App;
        var removals = new List<PlannedRemoval>();
        var creates = new List<ContainerPlan>();
        var starts = new List<PlannedStart>();
        var waits = new List<PlanWait>();
        var serviceStatuses = new List<ServiceStatus>();
        DateTimeOffset? wake = null;

        var byService = input.Observed
            .GroupBy(c => c.Service ?? "")
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var container in input.Observed)
        {
            if (container.Service is null || app.FindService(container.Service) is null)
            {
                removals.Add(new PlannedRemoval(container, RemovalKind.Orphan, $"orphan: service '{container.Service}' is not part of the app"));
            }
        }

        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = new Dictionary<string, IReadOnlyList<ObservedContainer>>(StringComparer.Ordinal);
        foreach (var service in app.Services)
        {
            if (input.ImageIds.TryGetValue(service.Name, out var imageId))
            {
                hashes[service.Name] = SpecHash.Compute(service, imageId);
            }
        }
        // A replica in another service's network stack (network_mode service:NAME) joined one container of NAME: when NAME's
        // replicas are replaced, it must be too, or it keeps the stack of a container that is gone. NAME's hash is part of its own.
        foreach (var service in app.Services)
        {
            if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal)
                && hashes.TryGetValue(service.Name, out var own) && hashes.TryGetValue(mode["service:".Length..], out var shared))
            {
                hashes[service.Name] = SpecHash.Combine(own, shared);
            }
        }
        foreach (var service in app.Services)
        {
            if (hashes.TryGetValue(service.Name, out var hash))
            {
                current[service.Name] = (byService.GetValueOrDefault(service.Name) ?? [])
                    .Where(c => c.SpecHash == hash && c.Slot >= 1 && c.Slot <= service.Replicas)
                    .ToList();
            }
        }

        var acc = new PlanAccumulator(removals, creates, starts, waits);
        foreach (var service in TopologicalOrder(app))
        {
            var containers = byService.GetValueOrDefault(service.Name) ?? [];
            hashes.TryGetValue(service.Name, out var hash);
            string? blocked = hash is null
                ? "image not ready"
                : DependencyGate.Unmet(service, app, current);
            if (blocked is not null && service.Replicas > 0)
            {
                waits.Add(new PlanWait(service.Name, blocked));
            }
            var context = new ServiceContext(input, service, containers, hash, blocked, input.PreviousServices.GetValueOrDefault(service.Name));
            var wholeSets = context.Policy.Strategy == ReleaseStrategy.BlueGreen || (input.EngineChoosesScaleIn && context.Policy.Strategy == ReleaseStrategy.Rolling);
            var status = wholeSets && context.Routed && hash is not null
                ? PlanBlueGreen(context, acc)
                : PlanSlots(context, acc);
            serviceStatuses.Add(status);
        }
        wake = acc.Wake is { } w ? Min(wake, w) : wake;

        var plan = new AppPlan
        {
            Remove = removals.DistinctBy(r => r.Container.Id).ToList(),
            Create = creates,
            Start = starts,
            Waiting = waits,
            NextWakeAt = wake,
            Notes = acc.Notes,
            Status = new AppStatus { ObservedAt = input.Now, Release = app.Release, Services = serviceStatuses.OrderBy(s => s.Name, StringComparer.Ordinal).ToList() },
        };
        return plan with { Status = plan.Status with { Phase = PhaseOf(plan, app), Message = MessageOf(plan) } };
    }

    /// <summary>Ready: running, and healthy when it has a check. Completed jobs count as ready too.</summary>
    public static bool IsReady(ObservedContainer c) =>
        (c.IsRunning && c.Health is "healthy" or "none") || (c.State == "exited" && c.ExitCode == 0 && c.StartedAt is not null && c.RestartCount == 0);

    private static int Rank(ObservedContainer c) => (c.IsRunning ? 4 : 0) + (c.Health == "healthy" ? 2 : 0) + (c.State == "restarting" ? 1 : 0);

    private static ReplicaStatus Observe(ObservedContainer c, PlanInput input, out PlannedStart? start, out DateTimeOffset? due)
    {
        start = null;
        due = null;
        var previous = input.PreviousReplicas.GetValueOrDefault(c.Name);
        var restarts = previous?.Restarts ?? 0;
        if (c.StartedAt is { } started && c.FinishedAt is { } finished && finished - started >= input.Backoff.StableAfter)
        {
            restarts = 0;
        }

        var service = input.App.FindService(c.Service ?? "");
        string? message = null;
        var crashLooping = false;
        var gaveUp = false;
        if (c.OomKilled && !c.IsRunning)
        {
            message = $"OOM-killed: exceeded its memory limit of {Resources.Bytes.Format(c.MemoryLimitBytes)}";
        }
        else if (c.State is "exited" or "restarting" && c.ExitCode != 0)
        {
            message = $"exited with code {c.ExitCode}";
        }
        if (c.State == "restarting" || (c.IsRunning && c.RestartCount > 0 && c.StartedAt is { } up && input.Now - up < input.Backoff.StableAfter))
        {
            // The engine's own restart policy is bringing it back: say it is crash-looping.
            crashLooping = true;
            message = $"crash-looping: restarted {c.RestartCount} time(s) by the engine{(message is null ? "" : "; last " + message)}";
        }
        if (c.IsStopped && service is not null)
        {
            var policy = service.Restart;
            var completed = c.State == "exited" && c.ExitCode == 0 && c.StartedAt is not null;
            var wantsRestart = c.State == "created"
                || policy.Condition == RestartCondition.Any
                || (policy.Condition == RestartCondition.OnFailure && !completed);

            if (wantsRestart && policy.MaxAttempts is { } max && restarts >= max)
            {
                gaveUp = true;
                message = $"{message ?? "stopped"}; gave up after {restarts} restarts (restart_policy.max_attempts)";
            }
            else if (wantsRestart)
            {
                var at = (c.FinishedAt ?? input.Now) + input.Backoff.DelayAfter(restarts);
                if (c.State == "created" || at <= input.Now)
                {
                    start = new PlannedStart(c, c.State == "created" ? restarts : restarts + 1);
                }
                else
                {
                    due = at;
                    message = $"{message ?? "stopped"}; restart {restarts + 1} at {at:HH:mm:ss}";
                }
            }
        }

        return new ReplicaStatus(c.Name, c.Service ?? "", c.Slot)
        {
            ContainerId = c.Id,
            SpecHash = c.SpecHash,
            State = due is not null ? "backoff" : c.State,
            Health = c.Health,
            ExitCode = (c.IsStopped || c.State == "restarting") && c.StartedAt is not null ? c.ExitCode : null,
            OomKilled = c.OomKilled,
            // A restart planned now counts already: the next death backs off from it (the engine resets its own count on start).
            Restarts = (start?.Restarts ?? restarts) + c.RestartCount,
            StartedAt = c.StartedAt,
            FinishedAt = c.IsStopped ? c.FinishedAt : null,
            NextRestartAt = due,
            CrashLooping = crashLooping,
            GaveUp = gaveUp,
            Message = message ?? (c.Health == "unhealthy" ? "failing its health check" : null),
            MemoryLimitBytes = c.MemoryLimitBytes,
            NanoCpus = c.NanoCpus,
            IpAddress = c.IpAddress,
            Node = c.Node,
        };
    }

    private static ReplicaStatus Pending(AppSpec app, ServiceSpec service, int slot, string hash, string? why) =>
        new(hash.Length > 0 ? Names.Container(app.Name, service.Name, slot, hash) : $"{app.Name}-{service.Name}-{slot}", service.Name, slot)
        {
            SpecHash = hash.Length > 0 ? hash : null,
            State = "pending",
            Message = why,
        };

    private static AppPhase PhaseOf(AppPlan plan, AppSpec app)
    {
        if (plan.Status.Services.Any(s => s.Rollout?.State == RolloutStates.Failed))
        {
            return AppPhase.Failed;
        }
        var replicas = plan.Status.Services.SelectMany(s => s.Replicas).ToList();
        var allReady = plan.Remove.Count == 0 && plan.Create.Count == 0 && plan.Start.Count == 0
            && plan.Status.Services.All(s => s.Replicas.Count(r => r.SpecHash == s.SpecHash && IsReadyStatus(r, app)) >= s.Desired);
        if (allReady)
        {
            return AppPhase.Running;
        }
        var troubled = replicas.Any(r => r.State == "backoff" || r.OomKilled || r.Health == "unhealthy" || r.State == "restarting"
            || r.GaveUp);
        return troubled ? AppPhase.Degraded : AppPhase.Deploying;
    }

    private static bool IsReadyStatus(ReplicaStatus r, AppSpec app) =>
        (r.State == "running" && r.Health is "healthy" or "none")
        || (r.State == "exited" && r.ExitCode == 0 && app.FindService(r.Service)?.Restart.Condition != RestartCondition.Any);

    private static string? MessageOf(AppPlan plan)
    {
        if (plan.Status.Services.FirstOrDefault(s => s.Rollout?.State == RolloutStates.Failed) is { } failed)
        {
            var serving = failed.LiveRelease is { } live && failed.LiveSpecHash != failed.SpecHash ? $"; release {live} keeps serving" : "";
            return $"{failed.Name}: release {failed.Rollout!.Release} failed: {failed.Rollout.Message}{serving}";
        }
        var trouble = plan.Status.Services.SelectMany(s => s.Replicas).FirstOrDefault(r => r.Message is not null && r.State != "pending");
        if (trouble is not null)
        {
            return $"{trouble.Name}: {trouble.Message}";
        }
        return plan.Waiting.Count > 0 ? $"{plan.Waiting[0].Service}: {plan.Waiting[0].Reason}" : null;
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is null || b < a ? b : a.Value;

    /// <summary>Services ordered so that dependencies come first; ties keep file order. Cycles (refused by the loader) fall back to file order.</summary>
    public static IReadOnlyList<ServiceSpec> TopologicalOrder(AppSpec app)
    {
        var order = new List<ServiceSpec>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var service in app.Services)
        {
            Visit(service);
        }
        return order;

        void Visit(ServiceSpec service)
        {
            if (state.GetValueOrDefault(service.Name) != 0)
            {
                return;
            }
            state[service.Name] = 1;
            foreach (var dependency in service.DependsOn)
            {
                if (app.FindService(dependency.Service) is { } target && state.GetValueOrDefault(target.Name) == 0)
                {
                    Visit(target);
                }
            }
            state[service.Name] = 2;
            order.Add(service);
        }
    }
}
