namespace Gantry.Docker.Swarm;

/// <summary>What each task of a service runs, with which resources, restart rule, placement and networks.</summary>
public sealed record TaskSpec
{
    /// <summary>The container.</summary>
    public ContainerSpec ContainerSpec { get; init; } = new();

    /// <summary>Limits and reservations (reservations are what the scheduler places by).</summary>
    public TaskResources? Resources { get; init; }

    /// <summary>When Swarm restarts a task.</summary>
    public TaskRestartPolicy? RestartPolicy { get; init; }

    /// <summary>Constraints, spread preferences and the most replicas per node.</summary>
    public TaskPlacement? Placement { get; init; }

    /// <summary>The networks each task joins, with aliases.</summary>
    public IReadOnlyList<TaskNetwork>? Networks { get; init; }

    /// <summary>Bumped to recreate every task without another change.</summary>
    public long ForceUpdate { get; init; }
}

/// <summary>A task's container.</summary>
public sealed record ContainerSpec
{
    /// <summary>The image, by digest where Gantry knows it (so every node runs the same bytes).</summary>
    public string Image { get; init; } = "";

    /// <summary>Labels on every task's container.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Replaces the image's entrypoint.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's command.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>KEY=value entries.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>Working directory.</summary>
    public string? Dir { get; init; }

    /// <summary>User (name or uid[:gid]).</summary>
    public string? User { get; init; }

    /// <summary>Nanoseconds between SIGTERM and SIGKILL.</summary>
    public long? StopGracePeriod { get; init; }

    /// <summary>The stop signal (SIGTERM when null).</summary>
    public string? StopSignal { get; init; }

    /// <summary>Run an init process as PID 1 that forwards signals and reaps children (compose <c>init</c>).</summary>
    public bool? Init { get; init; }

    /// <summary>Mount the container's root filesystem read-only (compose <c>read_only</c>).</summary>
    public bool? ReadOnly { get; init; }

    /// <summary>The health check; Swarm keeps a task in <c>starting</c> until it passes.</summary>
    public Containers.HealthConfig? HealthCheck { get; init; }

    /// <summary>Volume, bind and tmpfs mounts (made on whichever node runs the task).</summary>
    public IReadOnlyList<Containers.Mount>? Mounts { get; init; }

    /// <summary>Extra /etc/hosts entries, "IP HOST" (Swarm's order, unlike the container API's "HOST:IP").</summary>
    public IReadOnlyList<string>? Hosts { get; init; }
}

/// <summary>A task's limits and reservations.</summary>
public sealed record TaskResources
{
    /// <summary>The most a task may use.</summary>
    public NodeResources? Limits { get; init; }

    /// <summary>What the scheduler sets aside for it on its node.</summary>
    public NodeResources? Reservations { get; init; }
}

/// <summary>When Swarm restarts a task: <c>none</c>, <c>on-failure</c> or <c>any</c>.</summary>
public sealed record TaskRestartPolicy
{
    /// <summary>The condition.</summary>
    public string Condition { get; init; } = "any";

    /// <summary>Nanoseconds between restarts.</summary>
    public long? Delay { get; init; }

    /// <summary>0 is unlimited.</summary>
    public long? MaxAttempts { get; init; }

    /// <summary>Nanoseconds over which attempts are counted.</summary>
    public long? Window { get; init; }
}

/// <summary>Where tasks may go.</summary>
public sealed record TaskPlacement
{
    /// <summary>Such as <c>node.role==worker</c>, <c>node.labels.zone==a</c>.</summary>
    public IReadOnlyList<string>? Constraints { get; init; }

    /// <summary>Spread preferences, in order.</summary>
    public IReadOnlyList<PlacementPreference>? Preferences { get; init; }

    /// <summary>At most this many of the service's tasks on one node; 0 is no limit.</summary>
    public long MaxReplicas { get; init; }
}

/// <summary>One spread preference.</summary>
public sealed record PlacementPreference
{
    /// <summary>Spread evenly over the values of a node attribute.</summary>
    public SpreadOver? Spread { get; init; }
}

/// <summary>The attribute tasks spread over (such as node.labels.zone).</summary>
public sealed record SpreadOver
{
    /// <summary>The attribute.</summary>
    public string SpreadDescriptor { get; init; } = "";
}

/// <summary>A network a task joins.</summary>
public sealed record TaskNetwork
{
    /// <summary>Network name or id.</summary>
    public string Target { get; init; } = "";

    /// <summary>Extra DNS names on it.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }
}
