using Gantry.Model;

namespace Gantry.Controllers.Engine;

/// <summary>Everything needed to create one replica: the service spec resolved to engine names and enforced limits.</summary>
public sealed record ContainerPlan(string Name, string App, string Service, int Slot, string SpecHash)
{
    /// <summary>Image id (sha256:...) or reference to run.</summary>
    public required string Image { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>KEY=VALUE entries, sorted.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<PortSpec> Ports { get; init; } = [];

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    /// <summary>Mounts with volume sources already mapped to engine volume names.</summary>
    public IReadOnlyList<MountSpec> Mounts { get; init; } = [];

    /// <summary>Engine network names with the aliases this replica answers to; the first is connected at create.</summary>
    public IReadOnlyList<(string Network, IReadOnlyList<string> Aliases)> Networks { get; init; } = [];

    public HealthCheckSpec? HealthCheck { get; init; }

    public long MemoryLimitBytes { get; init; }

    public long? MemoryReservationBytes { get; init; }

    public long NanoCpus { get; init; }

    public long? PidsLimit { get; init; }

    public RestartPolicySpec Restart { get; init; } = new();

    public string? StopSignal { get; init; }

    public TimeSpan? StopGracePeriod { get; init; }

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Static IPv4 addresses by engine network name (compose `ipv4_address`).</summary>
    public IReadOnlyDictionary<string, string>? Ipv4Addresses { get; init; }

    /// <summary>
    /// The service this replica is built from. The runtime keys (hostname, dns, ulimits, logging, capabilities, network_mode, ...;
    /// issue 16) need no resolution to engine names and are read from here as the loader wrote them, rather than copied field by field.
    /// </summary>
    public ServiceSpec? Source { get; init; }
}
