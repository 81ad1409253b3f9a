using System.Globalization;
using Gantry.Controllers.Docker;
using Gantry.Controllers.Engine;
using Gantry.Docker.Containers;
using Gantry.Docker.Swarm;
using Gantry.Model;
using SwarmServiceSpec = Gantry.Docker.Swarm.ServiceSpec;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Decision 0021's mapping of releases, both ways and pure: a replica's <see cref="ContainerPlan"/> onto the Swarm service of
/// its (app, service, release), and a Swarm task back onto the <see cref="ObservedContainer"/> the shared planner reads.
/// </summary>
public static class SwarmServiceMapping
{
    /// <summary>
    /// The Swarm service of one (app, service, release): <c>APP_SERVICE_rN</c>. Dots in compose service names become dashes
    /// (a Swarm service name is also its DNS name on the overlay networks).
    /// </summary>
    public static string ServiceName(string app, string service, string release) =>
        $"{app}_{service.Replace('.', '-')}_r{release}";

    /// <summary>The Swarm service spec for the release <paramref name="plan"/> belongs to, at <paramref name="replicas"/> tasks.</summary>
    public static SwarmServiceSpec ToServiceSpec(ContainerPlan plan, string ownerId, long replicas)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // The slot is a task's own (Swarm numbers them); every other label is the release's, on the service and on each task's container.
        var labels = new SortedDictionary<string, string>(plan.Labels.Where(l => l.Key != GantryLabels.Slot).ToDictionary(), StringComparer.Ordinal)
        {
            [GantryLabels.Owner] = ownerId,
        };
        var release = labels.GetValueOrDefault(GantryLabels.Release) ?? "0";
        var source = plan.Source;
        var placement = source?.Placement;
        return new SwarmServiceSpec
        {
            Name = ServiceName(plan.App, plan.Service, release),
            Labels = labels,
            Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = replicas } },
            // No VIPs on this kernel (no IPVS), and the routers route to task addresses anyway: always DNS round robin.
            EndpointSpec = new EndpointSpec { Mode = "dnsrr" },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ContainerSpec
                {
                    Image = plan.Image,
                    Labels = labels,
                    Command = plan.Entrypoint is { Count: > 0 } ? plan.Entrypoint : null,
                    Args = plan.Command is { Count: > 0 } ? plan.Command : null,
                    Env = plan.Environment.Count > 0 ? plan.Environment : null,
                    Dir = plan.WorkingDir,
                    User = plan.User,
                    StopGracePeriod = plan.StopGracePeriod is { } grace ? Nanoseconds(grace) : null,
                    StopSignal = plan.StopSignal,
                    Init = plan.Source?.Init,
                    ReadOnly = plan.Source?.ReadOnly is true ? true : null,
                    HealthCheck = plan.HealthCheck switch
                    {
                        null => null,
                        { Disable: true } => new HealthConfig { Test = ["NONE"] },
                        var h => new HealthConfig { Test = h.Test, Interval = h.Interval, Timeout = h.Timeout, Retries = h.Retries, StartPeriod = h.StartPeriod },
                    },
                    Mounts = plan.Mounts.Count > 0 ? plan.Mounts.Select(m => ToMount(plan, ownerId, m)).ToList() : null,
                    Hosts = plan.ExtraHosts.Count > 0 ? plan.ExtraHosts.Select(ToHostsEntry).ToList() : null,
                },
                Resources = new TaskResources
                {
                    Limits = new NodeResources { MemoryBytes = plan.MemoryLimitBytes, NanoCPUs = plan.NanoCpus },
                    // Swarm places by reservations. Reserving the limit when the service names no reservation means a node is never
                    // promised more memory than it has, and it is the number ClusterGuard counts: the guard and Swarm agree.
                    Reservations = new NodeResources
                    {
                        MemoryBytes = plan.MemoryReservationBytes ?? plan.MemoryLimitBytes,
                        NanoCPUs = source?.Resources.NanoCpusReservation ?? 0,
                    },
                },
                RestartPolicy = plan.Restart.Condition switch
                {
                    RestartCondition.None => new TaskRestartPolicy { Condition = "none" },
                    RestartCondition.OnFailure => new TaskRestartPolicy
                    {
                        Condition = "on-failure",
                        MaxAttempts = plan.Restart.MaxAttempts,
                        Delay = plan.Restart.Delay is { } d ? Nanoseconds(d) : null,
                        Window = plan.Restart.Window is { } w ? Nanoseconds(w) : null,
                    },
                    _ => new TaskRestartPolicy
                    {
                        Condition = "any",
                        MaxAttempts = plan.Restart.MaxAttempts,
                        Delay = plan.Restart.Delay is { } d ? Nanoseconds(d) : null,
                        Window = plan.Restart.Window is { } w ? Nanoseconds(w) : null,
                    },
                },
                Placement = placement is null ? null : new TaskPlacement
                {
                    Constraints = placement.Constraints.Count > 0 ? placement.Constraints : null,
                    Preferences = placement.Spread.Count > 0
                        ? placement.Spread.Select(s => new PlacementPreference { Spread = new SpreadOver { SpreadDescriptor = s } }).ToList()
                        : null,
                    MaxReplicas = placement.MaxReplicasPerNode ?? 0,
                },
                Networks = plan.Networks.Count > 0
                    ? plan.Networks.Select(n => new TaskNetwork { Target = n.Network, Aliases = n.Aliases.Count > 0 ? n.Aliases : null }).ToList()
                    : null,
            },
        };
    }

    /// <summary>
    /// A task as the planner sees a replica: the release's labels with the task's own slot, a state in the container
    /// vocabulary, its node's hostname and its address on the app's first network.
    /// </summary>
    public static ObservedContainer ToObserved(SwarmTask task, IReadOnlyDictionary<string, string> nodeNames)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(nodeNames);
        var labels = new Dictionary<string, string>(task.Spec.ContainerSpec.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [GantryLabels.Slot] = task.Slot.ToString(CultureInfo.InvariantCulture),
        };
        var hash = labels.GetValueOrDefault(GantryLabels.SpecHash) ?? "";
        var hasHealthCheck = task.Spec.ContainerSpec.HealthCheck is { Test: { Count: > 0 } test } && test[0] != "NONE";
        var (state, health) = task.Status.State switch
        {
            "running" => ("running", hasHealthCheck ? "healthy" : "none"),
            // Started, and (with a health check) not yet healthy: Swarm holds a task here until its check passes.
            "starting" => ("running", hasHealthCheck ? "starting" : "none"),
            "complete" or "failed" or "rejected" => ("exited", "none"),
            "shutdown" or "orphaned" or "remove" => ("removing", "none"),
            // new, pending, assigned, accepted, preparing, ready: placed or waiting to be, not started yet.
            _ => ("created", "none"),
        };
        var started = state == "running" ? task.Status.Timestamp : (DateTimeOffset?)null;
        var address = (task.NetworksAttachments ?? [])
            .Where(a => a.Network.Spec.Name != "ingress")
            .SelectMany(a => a.Addresses)
            .Select(a => a.Split('/')[0])
            .FirstOrDefault();
        var message = task.Status.State is "pending" or "rejected" or "failed"
            ? task.Status.Err is { Length: > 0 } err ? err : task.Status.Message
            : null;
        return new ObservedContainer(task.Id, Names.Container(labels.GetValueOrDefault(GantryLabels.App) ?? "", labels.GetValueOrDefault(GantryLabels.Service) ?? "", task.Slot, hash))
        {
            Labels = labels,
            State = state,
            Health = health,
            ExitCode = task.Status.ContainerStatus?.ExitCode ?? 0,
            Error = message,
            StartedAt = started,
            FinishedAt = state == "exited" ? task.Status.Timestamp : null,
            ImageId = task.Spec.ContainerSpec.Image,
            MemoryLimitBytes = task.Spec.Resources?.Limits?.MemoryBytes ?? 0,
            NanoCpus = task.Spec.Resources?.Limits?.NanoCPUs ?? 0,
            IpAddress = address,
            Node = task.NodeId is { Length: > 0 } node ? nodeNames.GetValueOrDefault(node, node) : null,
        };
    }


    /// <summary>
    /// A mount as the container driver maps it, plus, for a volume Gantry names (`APP_VOLUME`: neither external nor given a
    /// `name:` of its own), the labels Gantry puts on the volumes it creates. The manager's copy is created by the reconciler;
    /// on every other node the engine creates the volume when a task first mounts it, and the labels make that copy
    /// Gantry's too, so it is listed and removed with the app instead of being left behind.
    /// </summary>
    private static Mount ToMount(ContainerPlan plan, string ownerId, MountSpec mount)
    {
        var mapped = DockerContainerMapping.ToMount(mount);
        if (mount.Type != MountType.Volume || mount.OwnedVolume is not { } name)
        {
            return mapped;
        }
        return mapped with
        {
            VolumeOptions = new VolumeMountOptions
            {
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [GantryLabels.Managed] = "true",
                    [GantryLabels.Owner] = ownerId,
                    [GantryLabels.App] = plan.App,
                    [GantryLabels.Resource] = name,
                },
            },
        };
    }

    /// <summary>Compose's "HOST:IP" as Swarm's hosts-file order "IP HOST".</summary>
    private static string ToHostsEntry(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? entry : $"{entry[(colon + 1)..]} {entry[..colon]}";
    }

    private static long Nanoseconds(TimeSpan span) => span.Ticks * 100;
}
