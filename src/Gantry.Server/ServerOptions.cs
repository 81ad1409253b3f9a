using Gantry.Controllers.Apps;

namespace Gantry.Server;

/// <summary>How a Gantry server runs: where its data lives, where it listens, which engine it drives.</summary>
public sealed record ServerOptions
{
    /// <summary>Holds the SQLite store, the admin token, uploaded bundles and registry storage.</summary>
    public string DataDirectory { get; init; } = "/var/lib/gantry";

    /// <summary>Kestrel URL of the API, console and registry.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:7070";

    /// <summary>
    /// HOST[:PORT] at which a cluster's nodes reach this server's registry (`--registry-address`, docs/decisions/0030): images a
    /// release uses that only the manager has are pushed there and Swarm services name them by digest. When HOST is one of this
    /// machine's own addresses the server listens there too, with --listen's scheme. Null: no registry for the nodes (a cluster
    /// then refuses `build:`, and images must already be on every node).
    /// </summary>
    public string? RegistryAddress { get; init; }

    /// <summary>The environment a `git push` of the deploy branch deploys to (`--push-environment`; docs/decisions/0024).</summary>
    public string PushEnvironment { get; init; } = Model.Environments.EnvironmentNames.DefaultPushEnvironment;

    /// <summary>
    /// The domain under which a pushed branch's preview answers, `BRANCH.APP.DOMAIN` (`--preview-domain`): `localhost` by
    /// default, whose names browsers and curl send to this machine; a wildcard DNS record (`*.preview.example.com`) for a real
    /// one. Empty: pushes of other branches deploy nothing.
    /// </summary>
    public string PreviewDomain { get; init; } = "localhost";

    /// <summary>A preview whose branch has not been pushed for this long is removed (`--preview-idle`).</summary>
    public TimeSpan PreviewIdle { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Limits, queue and log retention of pushed builds (`--build-*`; docs/decisions/0025).</summary>
    public Builds.BuildOptions Builds { get; init; } = new();

    /// <summary>Docker Engine endpoint (unix:///var/run/docker.sock, tcp://host:2375 or https://host:2376); null reads DOCKER_HOST.</summary>
    public string? DockerEndpoint { get; init; }

    /// <summary>
    /// ca.pem, cert.pem and key.pem for engines reached over TCP with TLS (the server's own and the nodes it joins, as the docker
    /// CLI's DOCKER_CERT_PATH); null: plain TCP, or DOCKER_CERT_PATH when the endpoint comes from DOCKER_HOST.
    /// </summary>
    public string? EngineCertDirectory { get; init; }

    public AppControllerOptions Controller { get; init; } = new();

    /// <summary>The routers on every node of a Swarm: the server's URL as the nodes reach it, and the port they publish.</summary>
    public NodeRouters.NodeRouterOptions NodeRouters { get; init; } = new();

    /// <summary>Where alerts are posted, and the built-in rules' thresholds.</summary>
    public Alerts.AlertOptions Alerts { get; init; } = new();

    /// <summary>Where to push metrics over OTLP (`--otlp-endpoint`); null: no export.</summary>
    public Metrics.OtlpOptions? Otlp { get; init; }

    /// <summary>Largest accepted deploy bundle as uploaded (compressed); what it may unpack to is <see cref="BundleLimits"/>.</summary>
    public long MaxBundleBytes { get; init; } = 1L << 30;

    /// <summary>What a bundle may unpack to: bytes, files, depth and path length (docs/decisions/0003).</summary>
    public Bundles.BundleLimits BundleLimits { get; init; } = new();

    /// <summary>The server's own log file, rotated by size (<see cref="LogMaxBytes"/> × <see cref="LogKeep"/>); null logs to the console.</summary>
    public string? LogFile { get; init; }

    /// <summary>Size at which the log file is rotated.</summary>
    public long LogMaxBytes { get; init; } = 10L << 20;

    /// <summary>Rotated log files kept beside the current one (server.log.1 ... server.log.N).</summary>
    public int LogKeep { get; init; } = 5;

    /// <summary>Where `system df` counts logs: the log file's directory (run.sh keeps the router's logs there too).</summary>
    public string? LogDirectory => LogFile is null ? null : Path.GetDirectoryName(Path.GetFullPath(LogFile));

    /// <summary>The most the replicas' log store keeps on disk (`--log-retention-size`); the oldest segments go first.</summary>
    public long LogRetentionBytes { get; init; } = 1L << 30;

    /// <summary>How long the replicas' log lines are kept (`--log-retention-age`), a removed app's included.</summary>
    public TimeSpan LogRetentionAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>What release history is kept (and so which images and bundles can go).</summary>
    public Storage.RetentionPolicy Retention { get; init; } = new();

    /// <summary>How long a deploy waits for the engine to pull a missing image before calling it unknown.</summary>
    public TimeSpan ImagePullTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Absolute host paths a deploy may name outside its uploaded project (binds, env_file, build, secret files), each with
    /// everything below it; empty by default. The Docker socket and / are allowed only by an exact entry (`--allow-host-path`).
    /// </summary>
    public IReadOnlyList<string> AllowedHostPaths { get; init; } = [];

    /// <summary>
    /// Apps whose compose files may use privileged keys (cap_add beyond the engine's defaults, privileged, devices,
    /// security_opt that loosens confinement, host namespaces); "*" is every app. Empty by default (`--allow-privilege`,
    /// docs/decisions/0009).
    /// </summary>
    public IReadOnlyList<string> AllowPrivilege { get; init; } = [];

    /// <summary>Password hashing and token lifetimes.</summary>
    public Identity.IdentityOptions Identity { get; init; } = new();
}
