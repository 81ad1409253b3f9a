using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>The body of <c>POST /containers/create</c>: the container config, its HostConfig and its first network endpoint.</summary>
public sealed record ContainerCreateParameters
{
    /// <summary>Container name (sent as the <c>name</c> query parameter); null lets the daemon pick one.</summary>
    [JsonIgnore]
    public string? Name { get; init; }

    /// <summary>The platform to run, "os/arch[/variant]" (sent as the <c>platform</c> query parameter, API 1.41+); the engine refuses an image of another platform.</summary>
    [JsonIgnore]
    public string? Platform { get; init; }

    /// <summary>Host name inside the container; null lets the daemon use the short container id.</summary>
    public string? Hostname { get; init; }

    /// <summary>NIS domain name inside the container.</summary>
    public string? Domainname { get; init; }

    /// <summary>Image reference, for example <c>gantry/busybox:latest</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Command (exec form); null keeps the image's CMD.</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Entrypoint (exec form); null keeps the image's ENTRYPOINT, an empty list clears it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment as <c>KEY=value</c> strings.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>User (name or uid[:gid]).</summary>
    public string? User { get; init; }

    /// <summary>Working directory inside the container.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>Labels; Gantry stores ownership here (gantry.app, gantry.service, ...).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Exposed ports as keys like <c>80/tcp</c>; see <see cref="ContainerPorts.Expose"/>.</summary>
    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    /// <summary>Allocate a TTY (logs are then one raw stream, not multiplexed).</summary>
    public bool? Tty { get; init; }

    /// <summary>Keep stdin open.</summary>
    public bool? OpenStdin { get; init; }

    /// <summary>Health check; overrides the image's HEALTHCHECK.</summary>
    public HealthConfig? Healthcheck { get; init; }

    /// <summary>Signal sent by stop, for example <c>SIGTERM</c>.</summary>
    public string? StopSignal { get; init; }

    /// <summary>Seconds stop waits before killing.</summary>
    public int? StopTimeout { get; init; }

    /// <summary>Resources, mounts, ports, restart policy, logging.</summary>
    public HostConfig? HostConfig { get; init; }

    /// <summary>The network the container joins at create time (one endpoint; connect more afterwards).</summary>
    public NetworkingConfig? NetworkingConfig { get; init; }
}
