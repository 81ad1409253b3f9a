namespace Gantry.Docker.Containers;

/// <summary>The container's configuration as the daemon stored it (inspect's <c>Config</c>).</summary>
public sealed record ContainerConfig
{
    /// <summary>Host name.</summary>
    public string? Hostname { get; init; }

    /// <summary>NIS domain name.</summary>
    public string? Domainname { get; init; }

    /// <summary>User.</summary>
    public string? User { get; init; }

    /// <summary>Environment (image env merged with the container's).</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>Command.</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Entrypoint.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Image reference as given at create time.</summary>
    public string? Image { get; init; }

    /// <summary>Working directory.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>Labels (image labels merged with the container's).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Exposed ports.</summary>
    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    /// <summary>Health check in effect.</summary>
    public HealthConfig? Healthcheck { get; init; }

    /// <summary>Stop signal.</summary>
    public string? StopSignal { get; init; }

    /// <summary>Stop timeout in seconds.</summary>
    public int? StopTimeout { get; init; }

    /// <summary>TTY allocated.</summary>
    public bool Tty { get; init; }

    /// <summary>Stdin kept open.</summary>
    public bool OpenStdin { get; init; }
}
