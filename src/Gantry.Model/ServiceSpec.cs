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

    /// <summary>`x-` extensions on the service, as compact JSON text per key (e.g. "x-gantry").</summary>
    /// <summary>The image id (sha256:...) this service is pinned to: set on deploy for pulled images and on rollback for every image, so a release runs exactly what it ran. Not part of the spec hash (the resolved id is).</summary>
    public string? PinnedImage { get; init; }

    /// <summary>How the service is released (strategy, warm window, drain, automatic rollback), resolved from x-gantry when loaded. Not part of the spec hash.</summary>
    public Releases.ReleasePolicy? Release { get; init; }

    /// <summary>The service's routes, router health check and load balancing, resolved from x-gantry when loaded (null: not routed). Not part of the spec hash.</summary>
    public Routing.GantryRouting? Routing { get; init; }

    /// <summary>x-gantry's redeploy-on-push: a push of the service's image to Gantry's registry rolls it out. Not part of the spec hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool RedeployOnPush { get; init; }

    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
