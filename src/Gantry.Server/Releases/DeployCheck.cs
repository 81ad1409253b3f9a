using System.Globalization;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;

namespace Gantry.Server.Releases;

/// <summary>
/// The pre-deploy check (pure): what each service's release will start, stop and move, warnings where a
/// deploy would drop requests, and a refusal when the node cannot hold two releases side by side.
/// `gantry deploy --check` prints it; every deploy returns it.
/// </summary>
public static class DeployCheck
{
    public static DeployCheckResult Run(AppSpec next, AppSpec? current, AppStatus? status, IEnumerable<AppSpec> otherApps, NodeCapacity node, ResourceDefaults defaults)
    {
        var plan = new List<string>();
        var warnings = new List<Diagnostic>();
        var sideBySide = new List<ServiceSpec>();
        foreach (var service in next.Services)
        {
            var before = current?.FindService(service.Name);
            var observed = status?.Services.FirstOrDefault(s => s.Name == service.Name);
            var policy = service.Release ?? new ReleasePolicy();
            var changes = before is null || Changes(before, service);
            plan.Add($"{service.Name}: {Describe(service, before, observed, policy, changes)}");
            if (before is not null && changes && policy.Strategy == ReleaseStrategy.BlueGreen)
            {
                sideBySide.Add(before with { Replicas = Math.Max(observed?.Replicas.Count(r => r.SpecHash == observed.LiveSpecHash) ?? before.Replicas, before.Replicas) });
            }
            warnings.AddRange(Warn(service, policy, next));
        }
        foreach (var removed in current?.Services.Where(s => next.FindService(s.Name) is null) ?? [])
        {
            plan.Add($"{removed.Name}: removed: its {removed.Replicas} replica(s) leave the route table, drain and stop");
        }

        var others = otherApps.ToList();
        if (sideBySide.Count > 0)
        {
            // Until the swap (and while the old set stays warm) both releases hold their memory.
            var old = new AppSpec { Name = $"{next.Name} (release {current?.Release} kept warm)", Services = sideBySide };
            var verdict = ResourceGuard.Check(next, [.. others, old], node, defaults);
            if (!verdict.Allowed)
            {
                var names = string.Join(", ", sideBySide.Select(s => s.Name));
                return new DeployCheckResult(plan, warnings,
                    $"not enough memory for two releases of {names} side by side (blue-green starts the new replicas before the old ones stop, and keeps the old ones warm): {verdict.Reason} " +
                    "Or release them one replica at a time: x-gantry: {strategy: rolling}.");
            }
        }
        return new DeployCheckResult(plan, warnings, null);
    }

    private static bool Changes(ServiceSpec before, ServiceSpec after) =>
        SpecHash.Compute(before, before.PinnedImage) != SpecHash.Compute(after, after.PinnedImage) || after.Build is not null && before.Build?.Context != after.Build.Context;

    private static string Describe(ServiceSpec service, ServiceSpec? before, ServiceStatus? observed, ReleasePolicy policy, bool changes)
    {
        var n = service.Replicas;
        var image = service.Build is not null ? $"built from {Path.GetFileName(service.Build.Context)}" : service.PinnedImage is { } id ? $"{service.Image} ({Short(id)})" : service.Image ?? "";
        var limits = $"memory {(service.Resources.MemoryLimitBytes is { } m ? Bytes.Format(m) : "default")}, cpus {(service.Resources.NanoCpus is { } c ? (c / 1e9).ToString("0.##", CultureInfo.InvariantCulture) : "default")}";
        if (before is null)
        {
            return $"new: starts {n} x {image} ({limits}){(policy.Routed ? "; routed as each replica gets healthy" : "")}";
        }
        if (!changes)
        {
            return before.Replicas == n
                ? $"unchanged ({n} x {image}{(observed?.LiveRelease is { } serving ? $", release {serving} keeps serving" : "")})"
                : $"scales {before.Replicas} -> {n}{(n < before.Replicas && policy.Routed ? " (the removed replicas drain first)" : "")}";
        }
        var live = observed?.Replicas.Count(r => r.SpecHash == observed.LiveSpecHash) ?? before.Replicas;
        var onlyRebuilt = service.Build is not null && before.Build is not null
            && SpecHash.Compute(before, "same-image") == SpecHash.Compute(service, "same-image");
        return (onlyRebuilt ? $"rebuilds from {Path.GetFileName(service.Build!.Context)}; replaced only if the image changes, then " : "") + policy.Strategy switch
        {
            ReleaseStrategy.BlueGreen when policy.CanarySteps.Count > 0 =>
                $"canary: starts {n} x {image} beside the {live} serving, then moves {string.Join("% -> ", policy.CanarySteps)}% -> 100% of traffic, " +
                $"{Duration(policy.AutoRollback?.Window ?? TimeSpan.FromMinutes(1))} per step, judged against the old release; keeps the old ones warm {Duration(policy.WarmFor)}",
            ReleaseStrategy.BlueGreen =>
                $"blue-green: starts {n} x {image} beside the {live} serving, moves all traffic at once when every one is healthy in the router, " +
                $"keeps the old ones warm {Duration(policy.WarmFor)} for an instant rollback{(policy.AutoRollback is { } a ? $"; watched {Duration(a.Window)} for errors and latency" : "")}",
            ReleaseStrategy.Recreate =>
                $"recreate: stops the {live} running, then starts {n} x {image}: DOWNTIME until the new ones are ready",
            _ =>
                $"rolling: replaces {n} replica(s), {Math.Max(1, service.Update?.Parallelism ?? 1)} at a time, {service.Update?.Order ?? "stop-first"}" +
                $"{(policy.Routed ? ", each old one drained before it stops" : "")}",
        };
    }

    private static IEnumerable<Diagnostic> Warn(ServiceSpec service, ReleasePolicy policy, AppSpec app)
    {
        var at = $"services.{service.Name}";
        if (policy.Routed && service.HealthCheck is null && !HasRouterHealth(service))
        {
            yield return Warning(at, $"{service.Name} is routed but has no health check: traffic moves to a new replica as soon as it starts, before it can answer. Add a healthcheck or x-gantry.health");
        }
        if (service.Resources.MemoryLimitBytes is null)
        {
            yield return Warning($"{at}.deploy.resources.limits", $"{service.Name} sets no memory limit: Gantry applies the default; set deploy.resources.limits.memory to what it needs");
        }
        var shared = service.Volumes.Where(v => v.Type == MountType.Volume && !v.ReadOnly && v.Source is not null
            && app.Volumes.FirstOrDefault(d => d.Name == v.Source) is not { External: true }).Select(v => v.Source!).ToList();
        var twoCopies = policy.Strategy == ReleaseStrategy.BlueGreen || (policy.Strategy == ReleaseStrategy.Rolling && service.Update?.Order == "start-first") || service.Replicas > 1;
        if (shared.Count > 0 && twoCopies)
        {
            yield return Warning($"{at}.volumes", $"{service.Name} writes volume {string.Join(", ", shared)} and two copies run at once during its release; if it allows one writer only, set x-gantry: {{strategy: recreate}} (stop-first, with downtime)");
        }
        if (policy.Strategy == ReleaseStrategy.Recreate)
        {
            yield return Warning(at, $"{service.Name} is released with recreate: its old replicas stop before the new ones start, so requests to it fail until they are ready");
        }
    }

    private static bool HasRouterHealth(ServiceSpec service) => service.Routing?.Health is not null;

    private static Diagnostic Warning(string path, string message) => new("warning", "", 0, 0, path, message);

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id;

    private static string Duration(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{t.TotalMinutes:0}m" : $"{t.TotalSeconds:0}s";
}

/// <param name="Refusal">Why the deploy must not go ahead, or null.</param>
public sealed record DeployCheckResult(IReadOnlyList<string> Plan, IReadOnlyList<Diagnostic> Warnings, string? Refusal);
