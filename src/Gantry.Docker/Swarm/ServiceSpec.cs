namespace Gantry.Docker.Swarm;

/// <summary>A service's desired state: name, labels, the task template, how many replicas and how they are reached.</summary>
public sealed record ServiceSpec
{
    /// <summary>The service name (also its DNS name on its networks).</summary>
    public string Name { get; init; } = "";

    /// <summary>Labels on the service (the tasks' containers carry TaskTemplate.ContainerSpec.Labels).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>What each replica runs, with what resources, where and on which networks.</summary>
    public TaskSpec TaskTemplate { get; init; } = new();

    /// <summary>Replicated with a count (Gantry never uses global mode for app services).</summary>
    public ServiceMode Mode { get; init; } = new();

    /// <summary>How an update replaces tasks (parallelism, order start-first or stop-first).</summary>
    public ServiceUpdateConfig? UpdateConfig { get; init; }

    /// <summary>How the service is reached: Gantry always asks for dnsrr (no VIPs: this kernel has no IPVS).</summary>
    public EndpointSpec? EndpointSpec { get; init; }
}

/// <summary>Replicated (a count) or global (one per node).</summary>
public sealed record ServiceMode
{
    /// <summary>The replica count.</summary>
    public ReplicatedMode? Replicated { get; init; }
}

/// <summary>A replica count.</summary>
public sealed record ReplicatedMode
{
    /// <summary>How many tasks Swarm keeps running.</summary>
    public long Replicas { get; init; }
}

/// <summary>A service update's pace.</summary>
public sealed record ServiceUpdateConfig
{
    /// <summary>Tasks replaced at once.</summary>
    public long Parallelism { get; init; } = 1;

    /// <summary><c>stop-first</c> or <c>start-first</c>.</summary>
    public string? Order { get; init; }

    /// <summary>Nanoseconds between batches.</summary>
    public long? Delay { get; init; }
}

/// <summary>How a service is reached.</summary>
public sealed record EndpointSpec
{
    /// <summary><c>vip</c> or <c>dnsrr</c>.</summary>
    public string Mode { get; init; } = "dnsrr";
}
