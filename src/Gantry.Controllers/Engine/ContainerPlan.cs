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

    // Runtime keys (issue 16), copied from the service; see ServiceSpec for each one's meaning.

    public string? Hostname { get; init; }

    public string? Domainname { get; init; }

    public bool? ReadOnly { get; init; }

    public bool? Init { get; init; }

    public bool? Tty { get; init; }

    public bool? StdinOpen { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public IReadOnlyList<string>? DnsSearch { get; init; }

    public IReadOnlyList<string>? DnsOptions { get; init; }

    public IReadOnlyList<UlimitSpec>? Ulimits { get; init; }

    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    /// <summary>The service's log driver; null means Gantry's bounded json-file default.</summary>
    public LoggingSpec? Logging { get; init; }

    public long? MemorySwapBytes { get; init; }

    public long? ShmSizeBytes { get; init; }

    public string? Platform { get; init; }

    public string? Runtime { get; init; }

    /// <summary>"none", "bridge", "host", "service:NAME" (the driver resolves NAME to that service's running container of this app) or "container:NAME"; null joins <see cref="Networks"/>.</summary>
    public string? NetworkMode { get; init; }

    public long? CpuShares { get; init; }

    public string? Cpuset { get; init; }

    public IReadOnlyList<string>? GroupAdd { get; init; }

    public IReadOnlyList<string>? CapAdd { get; init; }

    public IReadOnlyList<string>? CapDrop { get; init; }

    public IReadOnlyList<string>? SecurityOpt { get; init; }

    public bool? Privileged { get; init; }

    public IReadOnlyList<DeviceSpec>? Devices { get; init; }

    public string? Pid { get; init; }

    public string? Ipc { get; init; }

    public string? UsernsMode { get; init; }
}
