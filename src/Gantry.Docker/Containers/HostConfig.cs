namespace Gantry.Docker.Containers;

/// <summary>The host-side settings of a container: resource limits, mounts, ports, restart policy and logging.</summary>
public sealed record HostConfig
{
    /// <summary>Hard memory limit in bytes.</summary>
    public long? Memory { get; init; }

    /// <summary>Soft memory limit in bytes.</summary>
    public long? MemoryReservation { get; init; }

    /// <summary>Memory plus swap in bytes; equal to Memory disables swap, -1 unlimited.</summary>
    public long? MemorySwap { get; init; }

    /// <summary>CPU quota in units of 1e-9 CPUs (1.5 CPUs = 1_500_000_000).</summary>
    public long? NanoCpus { get; init; }

    /// <summary>Relative CPU weight.</summary>
    public long? CpuShares { get; init; }

    /// <summary>Maximum number of processes; null or 0 unlimited.</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Disable the OOM killer for this container.</summary>
    public bool? OomKillDisable { get; init; }

    /// <summary>What the daemon does when the container exits.</summary>
    public RestartPolicy? RestartPolicy { get; init; }

    /// <summary>Volume, bind and tmpfs mounts.</summary>
    public IReadOnlyList<Mount>? Mounts { get; init; }

    /// <summary>Legacy <c>src:dst[:opts]</c> binds.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    /// <summary>Container port key (<c>80/tcp</c>) to host bindings.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? PortBindings { get; init; }

    /// <summary>Publish every exposed port on a random host port.</summary>
    public bool? PublishAllPorts { get; init; }

    /// <summary>Extra /etc/hosts lines as <c>host:ip</c>.</summary>
    public IReadOnlyList<string>? ExtraHosts { get; init; }

    /// <summary>Run an init process (tini) as PID 1 that reaps zombies and forwards signals.</summary>
    public bool? Init { get; init; }

    /// <summary>Log driver and its options.</summary>
    public LogConfig? LogConfig { get; init; }

    /// <summary><c>bridge</c>, <c>host</c>, <c>none</c>, <c>container:id</c> or a network name.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Remove the container when it exits.</summary>
    public bool? AutoRemove { get; init; }

    /// <summary>Mount the root filesystem read-only.</summary>
    public bool? ReadonlyRootfs { get; init; }

    /// <summary>Size of /dev/shm in bytes.</summary>
    public long? ShmSize { get; init; }

    /// <summary>DNS servers.</summary>
    public IReadOnlyList<string>? Dns { get; init; }

    /// <summary>DNS search domains.</summary>
    public IReadOnlyList<string>? DnsSearch { get; init; }

    /// <summary>resolv.conf options.</summary>
    public IReadOnlyList<string>? DnsOptions { get; init; }

    /// <summary>Per-process resource limits.</summary>
    public IReadOnlyList<Ulimit>? Ulimits { get; init; }

    /// <summary>Namespaced kernel parameters.</summary>
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    /// <summary>Capabilities added to the default set.</summary>
    public IReadOnlyList<string>? CapAdd { get; init; }

    /// <summary>Capabilities removed from the default set.</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>Security options (no-new-privileges, seccomp, apparmor, label).</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>Every capability and device.</summary>
    public bool? Privileged { get; init; }

    /// <summary>Host devices mapped into the container.</summary>
    public IReadOnlyList<DeviceMapping>? Devices { get; init; }

    /// <summary>PID namespace: empty (own) or <c>host</c>.</summary>
    public string? PidMode { get; init; }

    /// <summary>IPC namespace: <c>private</c>, <c>shareable</c>, <c>none</c>, <c>host</c> or <c>container:id</c>.</summary>
    public string? IpcMode { get; init; }

    /// <summary>User namespace: empty or <c>host</c>.</summary>
    public string? UsernsMode { get; init; }

    /// <summary>tmpfs mounts by container path, with mount options such as <c>rw,noexec,nosuid,size=65536k</c>.</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    /// <summary>The OCI runtime (one the daemon is configured with).</summary>
    public string? Runtime { get; init; }

    /// <summary>CPUs the container may run on, such as <c>0-1</c>.</summary>
    public string? CpusetCpus { get; init; }

    /// <summary>Extra groups for the container's user.</summary>
    public IReadOnlyList<string>? GroupAdd { get; init; }
}
