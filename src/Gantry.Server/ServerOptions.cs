using Gantry.Controllers.Apps;

namespace Gantry.Server;

/// <summary>How a Gantry server runs: where its data lives, where it listens, which engine it drives.</summary>
public sealed record ServerOptions
{
    /// <summary>Holds the SQLite store, the admin token, uploaded bundles and registry storage.</summary>
    public string DataDirectory { get; init; } = "/var/lib/gantry";

    /// <summary>Kestrel URL of the API, console and registry.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:7070";

    /// <summary>Docker Engine endpoint (unix:///var/run/docker.sock or tcp://host:port); null reads DOCKER_HOST.</summary>
    public string? DockerEndpoint { get; init; }

    public AppControllerOptions Controller { get; init; } = new();

    /// <summary>Largest accepted deploy bundle as uploaded (compressed); what it may unpack to is <see cref="BundleLimits"/>.</summary>
    public long MaxBundleBytes { get; init; } = 1L << 30;

    /// <summary>What a bundle may unpack to: bytes, files, depth and path length (docs/decisions/0003).</summary>
    public Bundles.BundleLimits BundleLimits { get; init; } = new();

    /// <summary>How long a deploy waits for the engine to pull a missing image before calling it unknown.</summary>
    public TimeSpan ImagePullTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Absolute host paths a deploy may name outside its uploaded project (binds, env_file, build, secret files), each with
    /// everything below it; empty by default. The Docker socket and / are allowed only by an exact entry (`--allow-host-path`).
    /// </summary>
    public IReadOnlyList<string> AllowedHostPaths { get; init; } = [];
}
