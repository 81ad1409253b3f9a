using Gantry.Controllers.Apps;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Store;
using DeployOutcome = Gantry.Server.Apps.ChangeOutcome<Gantry.Model.Api.DeployResponse>;

namespace Gantry.Server.Apps;

/// <summary>Where an app may run (the resource guard on one engine or the cluster, with a cluster's pins and fresh sets) and the scale path through the same guard.</summary>
public sealed partial class DeployService
{
    /// <summary>
    /// The resource guard for where the app will run: on a cluster (the engine is a Swarm manager) <see cref="ClusterGuard"/>
    /// counts each node's room with the numbers per node; on one engine <see cref="ResourceGuard"/> counts that engine. Either
    /// way <see cref="_node"/> is then the capacity the pre-deploy check uses (the cluster's total, read again on every deploy
    /// because nodes come and go). On a cluster the spec comes back with its stateful services pinned to a node
    /// (<see cref="Controllers.Swarm.VolumePins"/>, kept from <paramref name="previous"/> where it pinned them), and its routed
    /// services scaled in given a fresh set (<see cref="Controllers.Swarm.FreshSets"/>); the notes say both.
    /// </summary>
    private async Task<(bool Allowed, string? Reason, AppSpec Spec, IReadOnlyList<Controllers.Swarm.FreshSets.Note> Notes)> CheckPlacementAsync(
        AppSpec spec, AppSpec? previous, IEnumerable<AppSpec> others, CancellationToken ct)
    {
        var cluster = await engine.GetClusterNodesAsync(spec.Name, ct).ConfigureAwait(false);
        var (renewed, notes) = Controllers.Swarm.FreshSets.Apply(spec, previous, cluster is not null);
        if (cluster is not null)
        {
            _node = await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
            var unsupported = Controllers.Swarm.SwarmSupport.Unsupported(renewed, options.RegistryAddress is not null);
            if (unsupported.Count > 0)
            {
                return (false, $"deploy of '{spec.Name}' refused: the server's engine is a Swarm manager, and on a cluster: {string.Join("; ", unsupported)}", spec, []);
            }
            var (pinned, pins) = Controllers.Swarm.VolumePins.Apply(renewed, previous, cluster);
            var placed = ClusterGuard.Check(pinned, cluster, options.Controller.Defaults);
            return (placed.Allowed, placed.Reason, pinned, [.. pins.Select(p => new Controllers.Swarm.FreshSets.Note(p.Service, p.Describe())), .. notes]);
        }
        if (_node is null or { Name: "cluster" })
        {
            _node = await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
        }
        var verdict = ResourceGuard.Check(renewed, others, _node, options.Controller.Defaults);
        return (verdict.Allowed, verdict.Reason, renewed, notes);
    }

    /// <summary>Changes replica counts of an existing app, through the same guard as a deploy.</summary>
    /// <remarks>Optimistic concurrency: the controller writes status all the time, so a scale re-reads and retries on a version conflict.</remarks>
    public Task<DeployOutcome> ScaleAsync(string app, IReadOnlyDictionary<string, int> replicas, CancellationToken ct) =>
        OptimisticRetry.RunAsync(() => TryScaleAsync(app, replicas, null, ct));

    /// <summary>
    /// The autoscaler's change of one service's count: the same guard and write as <see cref="ScaleAsync"/>, recorded as an
    /// <see cref="EventReasons.Autoscaled"/> event whose message carries the numbers that made the decision.
    /// </summary>
    public Task<DeployOutcome> AutoscaleAsync(string app, string service, int count, string why, CancellationToken ct) =>
        OptimisticRetry.RunAsync(() => TryScaleAsync(app, new Dictionary<string, int> { [service] = count }, why, ct));

    private async Task<DeployOutcome> TryScaleAsync(string app, IReadOnlyDictionary<string, int> replicas, string? autoscaled, CancellationToken ct)
    {
        var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (stored is null || stored.IsBeingDeleted)
        {
            return DeployOutcome.Missing($"app '{app}' does not exist");
        }
        var spec = stored.Spec;
        var errors = new List<Diagnostic>();
        foreach (var (service, count) in replicas)
        {
            if (spec.FindService(service) is null)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, $"app '{app}' has no service '{service}'; it has: {string.Join(", ", spec.Services.Select(s => s.Name))}"));
            }
            else if (count is < 0 or > 1000)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, $"{count} is not a valid replica count (0 to 1000)"));
            }
            else if (autoscaled is null && Controllers.Autoscaling.AutoscaledCounts.RefuseManual(spec.FindService(service)!, count) is { } refusal)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, refusal));
            }
        }
        if (errors.Count > 0)
        {
            return DeployOutcome.Invalid(errors);
        }
        var scaled = spec with { Services = spec.Services.Select(s => replicas.TryGetValue(s.Name, out var n) ? s with { Replicas = n } : s).ToList() };
        var others = (await store.ListOtherAppsAsync(app, ct).ConfigureAwait(false)).Select(a => a.Spec);
        var verdict = await CheckPlacementAsync(scaled, spec, others, ct).ConfigureAwait(false);
        if (!verdict.Allowed)
        {
            return DeployOutcome.Refused(verdict.Reason!.Replace("deploy of", "scaling of", StringComparison.Ordinal));
        }
        scaled = verdict.Spec;
        var change = "scaled " + string.Join(", ", replicas.Select(kv => $"{kv.Key}={kv.Value}"));
        var notes = verdict.Notes.Where(n => n.Scale).Select(n => new Diagnostic("warning", "scale", 0, 0, $"services.{n.Service}", n.Text)).ToList();
        return await StoreAsync(scaled, notes, DescribePlan(scaled), "", ct, stored.Resource.ResourceVersion,
            autoscaled is null ? change : $"autoscaler {change}: {autoscaled}", autoscaled is null ? EventReasons.Scaled : EventReasons.Autoscaled).ConfigureAwait(false);
    }
}
