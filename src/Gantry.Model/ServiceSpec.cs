namespace Gantry.Model;

/// <summary>The desired state of one compose service: what each of its replicas runs and how many run.</summary>
public sealed record ServiceSpec
{
    public required string Name { get; init; }

    /// <summary>Image reference. When <see cref="Build"/> is set and this is null, the loader sets it to "{app}-{service}:latest"-style local name.</summary>
    public string? Image { get; init; }

    public BuildSpec? Build { get; init; }

    /// <summary>Overrides the image's CMD; null keeps the image's own.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Overrides the image's ENTRYPOINT; null keeps the image's own.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment with env_file entries merged under environment entries; a null value means "unset in the container".</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new SortedDictionary<string, string?>(StringComparer.Ordinal);

    public IReadOnlyList<PortSpec> Ports { get; init; } = [];

    /// <summary>Container ports exposed to other services only, as "80" or "8000-8010/udp".</summary>
    public IReadOnlyList<string> Expose { get; init; } = [];

    public IReadOnlyList<MountSpec> Volumes { get; init; } = [];

    public IReadOnlyList<DependencySpec> DependsOn { get; init; } = [];

    /// <summary>Null means the image's own HEALTHCHECK applies; <see cref="HealthCheckSpec.Disable"/> turns it off.</summary>
    public HealthCheckSpec? HealthCheck { get; init; }

    public int Replicas { get; init; } = 1;

    /// <summary>
    /// Which fresh set of replicas this is, within the same shape: 0 until a routed service is scaled in on a cluster, where
    /// Swarm, not the plan, picks the tasks a smaller count stops. Each such scale-in counts one up, so the smaller count
    /// starts as a new set beside the serving one and takes the traffic whole (docs/decisions/0034). Part of the spec hash
    /// (left out of the JSON at 0, so that the hashes of every other spec are what they were); like the count, not part of a release.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int Incarnation { get; init; }

    public ResourcesSpec Resources { get; init; } = new();

    public RestartPolicySpec Restart { get; init; } = new();

    public UpdateConfigSpec? Update { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Networks this service joins, with aliases; the loader puts "default" here when the file names none.</summary>
    public IReadOnlyList<ServiceNetworkSpec> Networks { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public TimeSpan? StopGracePeriod { get; init; }

    public string? StopSignal { get; init; }

    /// <summary>Extra /etc/hosts entries as "host:ip" (the Engine API's form).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public IReadOnlyList<FileReferenceSpec> Secrets { get; init; } = [];

    public IReadOnlyList<FileReferenceSpec> Configs { get; init; } = [];

    /// <summary>Profiles this service belongs to (already filtered by the loader; kept for display).</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The image id (sha256:...) this service is pinned to: set on deploy for pulled images and on rollback for every image, so a release runs exactly what it ran. Not part of the spec hash (the resolved id is).</summary>
    public string? PinnedImage { get; init; }

    /// <summary>
    /// On a cluster, the digest reference (<c>host/team/app-service@sha256:...</c>) the pinned image's release ran, set on rollback
    /// from the release record, so the nodes pull exactly the old bytes (docs/decisions/0030). Not part of the spec hash.
    /// </summary>
    public string? PinnedDigest { get; init; }

    /// <summary>How the service is released (strategy, warm window, drain, automatic rollback), resolved from x-gantry when loaded. Not part of the spec hash.</summary>
    public Releases.ReleasePolicy? Release { get; init; }

    /// <summary>The service's routes, router health check and load balancing, resolved from x-gantry when loaded (null: not routed). Not part of the spec hash.</summary>
    public Routing.GantryRouting? Routing { get; init; }

    /// <summary>How many replicas the autoscaler keeps, resolved from x-gantry's autoscale when loaded (null: the count is deploy.replicas). Not part of the spec hash.</summary>
    public Autoscaling.AutoscaleSpec? Autoscale { get; init; }

    /// <summary>The user's alert rules on the service's metrics, from x-gantry's `alerts` (null: none). Not part of the spec hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Alerts.AlertRuleSpec>? Alerts { get; init; }

    /// <summary>x-gantry's redeploy-on-push: a push of the service's image to Gantry's registry rolls it out. Not part of the spec hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool RedeployOnPush { get; init; }

    /// <summary>x-gantry's `test`: the push pipeline's test stage for this service (null: none). Not part of the spec hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Pipelines.TestStageSpec? Test { get; init; }

    /// <summary>`x-` extensions on the service, as compact JSON text per key (e.g. "x-gantry").</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    // Runtime keys (issue 16). Every one is null when the file does not set it, so the JSON of a spec that does not use
    // them, and with it SpecHash, is what it was before they existed: an upgrade recreates no container.

    /// <summary>The container's host name (compose `hostname`); null lets the engine use the container id.</summary>
    public string? Hostname { get; init; }

    /// <summary>The container's NIS domain name (compose `domainname`).</summary>
    public string? Domainname { get; init; }

    /// <summary>Mount the root file system read-only (compose `read_only`); null when not set or false.</summary>
    public bool? ReadOnly { get; init; }

    /// <summary>Run an init process as PID 1 that reaps zombies and forwards signals (compose `init`).</summary>
    public bool? Init { get; init; }

    /// <summary>Allocate a TTY (compose `tty`); null when not set or false.</summary>
    public bool? Tty { get; init; }

    /// <summary>Keep stdin open (compose `stdin_open`); null when not set or false.</summary>
    public bool? StdinOpen { get; init; }

    /// <summary>DNS servers (compose `dns`).</summary>
    public IReadOnlyList<string>? Dns { get; init; }

    /// <summary>DNS search domains (compose `dns_search`).</summary>
    public IReadOnlyList<string>? DnsSearch { get; init; }

    /// <summary>resolv.conf options such as "ndots:2" (compose `dns_opt`).</summary>
    public IReadOnlyList<string>? DnsOptions { get; init; }

    /// <summary>Per-process limits (compose `ulimits`), sorted by name.</summary>
    public IReadOnlyList<UlimitSpec>? Ulimits { get; init; }

    /// <summary>Namespaced kernel parameters (compose `sysctls`).</summary>
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    /// <summary>The log driver and its options (compose `logging`); null means Gantry's bounded json-file default, applied at creation.</summary>
    public LoggingSpec? Logging { get; init; }

    /// <summary>When the image is pulled (compose `pull_policy`): always, never, missing, build, daily, weekly or every_N.</summary>
    public string? PullPolicy { get; init; }

    /// <summary>Size of /dev/shm in bytes (compose `shm_size`).</summary>
    public long? ShmSizeBytes { get; init; }

    /// <summary>The platform the image must be for, "os/arch[/variant]" (compose `platform`), checked against the engine.</summary>
    public string? Platform { get; init; }

    /// <summary>The OCI runtime the engine runs the container with (compose `runtime`), configured by the engine's admin.</summary>
    public string? Runtime { get; init; }

    /// <summary>"none", "bridge", "host", "service:NAME" or "container:NAME" (compose `network_mode`); null means the app's networks.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Where Swarm may place replicas (compose `deploy.placement`); recorded now, applied by a Swarm driver.</summary>
    public PlacementSpec? Placement { get; init; }

    /// <summary>Relative CPU weight (compose `cpu_shares`).</summary>
    public long? CpuShares { get; init; }

    /// <summary>CPUs the replicas may run on, such as "0-1" (compose `cpuset`).</summary>
    public string? Cpuset { get; init; }

    /// <summary>Extra groups the container's user joins (compose `group_add`).</summary>
    public IReadOnlyList<string>? GroupAdd { get; init; }

    // Privilege (issue 16): allowed only for apps the server's admin allows (PrivilegePolicy in Gantry.Compose), except
    // what only takes privilege away (cap_drop, no-new-privileges, read_only).

    /// <summary>Capabilities added to the engine's default set (compose `cap_add`), upper case without "CAP_".</summary>
    public IReadOnlyList<string>? CapAdd { get; init; }

    /// <summary>Capabilities removed from the engine's default set (compose `cap_drop`), "ALL" for all.</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>Security options such as "no-new-privileges:true" or "seccomp=unconfined" (compose `security_opt`).</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>Run with every capability and device (compose `privileged`); null when not set or false.</summary>
    public bool? Privileged { get; init; }

    /// <summary>Host devices mapped into the container (compose `devices`).</summary>
    public IReadOnlyList<DeviceSpec>? Devices { get; init; }

    /// <summary>The PID namespace: "host" (compose `pid`).</summary>
    public string? Pid { get; init; }

    /// <summary>The IPC namespace: "private", "shareable", "none" or "host" (compose `ipc`).</summary>
    public string? Ipc { get; init; }

    /// <summary>The user namespace: "host" (compose `userns_mode`).</summary>
    public string? UsernsMode { get; init; }
}
