using Gantry.Model;

namespace Gantry.Controllers.Engine;

/// <summary>
/// The narrow seam between the controllers and a container engine. Everything the controllers do to
/// the world goes through here, so unit tests fake only this, and a Swarm driver can fill it later.
/// </summary>
public interface IEngineDriver
{
    /// <summary>What the node can give: total memory and CPUs.</summary>
    Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct);

    /// <summary>Every container Gantry created (label gantry.managed=true), optionally for one app, fully inspected.</summary>
    Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct);

    /// <summary>Creates (does not start) a container. Throws <see cref="EngineConflictException"/> when the name is taken.</summary>
    Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct);

    Task StartContainerAsync(string id, CancellationToken ct);

    Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct);

    /// <summary>Removes a container, stopping it first if needed; a container already gone is not an error.</summary>
    Task RemoveContainerAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct);

    Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct);

    Task RemoveNetworkAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct);

    Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct);

    Task RemoveVolumeAsync(string name, CancellationToken ct);

    /// <summary>The local image's id, or null when the engine does not have it.</summary>
    Task<string?> GetImageIdAsync(string reference, CancellationToken ct);

    /// <summary>Pulls an image; throws <see cref="EngineException"/> naming the image when it cannot.</summary>
    Task PullImageAsync(string reference, CancellationToken ct);

    /// <summary>
    /// Builds an image from a local context under <paramref name="limits"/> (null: none) and returns its id; progress lines go to
    /// <paramref name="progress"/>. Cancelling <paramref name="ct"/> closes the build request, which makes the engine stop the build.
    /// </summary>
    Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="run"/> to its exit and returns the exit code; every line it writes goes to <paramref name="output"/>.
    /// The container is removed however it ends; cancelling <paramref name="ct"/> kills it.
    /// </summary>
    Task<long> RunToExitAsync(OneOffRun run, IProgress<string> output, CancellationToken ct) =>
        throw new NotSupportedException("this engine driver cannot run one-off containers");

    /// <summary>Creates and starts <paramref name="run"/> without waiting for it (a test stage's service); returns its id.</summary>
    Task<string> StartOneOffAsync(OneOffRun run, CancellationToken ct) =>
        throw new NotSupportedException("this engine driver cannot run one-off containers");

    /// <summary>A started one-off's state: null (gone), exited, running, or its health (starting, healthy, unhealthy).</summary>
    Task<string?> OneOffStateAsync(string name, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>Removes a one-off container by name (forced); nothing when it is gone.</summary>
    Task RemoveOneOffRunAsync(string name) => Task.CompletedTask;

    /// <summary>A bridge network of a run's own (its services and test reach each other by name); removed with the next call.</summary>
    Task CreateOneOffNetworkAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        throw new NotSupportedException("this engine driver cannot run one-off containers");

    Task RemoveOneOffNetworkAsync(string name) => Task.CompletedTask;

    /// <summary>
    /// Removes this server's one-off containers carrying <paramref name="label"/> (what a crash left mid-run: at start, no
    /// run is under way); returns how many went.
    /// </summary>
    Task<int> RemoveOneOffRunsAsync(string label, CancellationToken ct) => Task.FromResult(0);

    /// <summary>
    /// On a cluster, the reference the Swarm service names so that every node pulls exactly <paramref name="image"/>'s bytes
    /// (docs/decisions/0030): an image only the manager has is pushed to Gantry's registry and named by digest, one from a
    /// registry is pinned by its digest. Null on a single engine, where the image id itself is run. Throws
    /// <see cref="EngineException"/> naming the service and image when a push fails.
    /// </summary>
    Task<string?> DistributeImageAsync(ImageToDistribute image, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>Removes the images Gantry built for an app (they carry its labels): nothing Gantry made outlives the app.</summary>
    Task RemoveBuiltImagesAsync(string app, CancellationToken ct);

    /// <summary>The image's size on the engine in bytes (what `docker image ls` shows), or null when the engine does not have it.</summary>
    Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct);

    /// <summary>Removes one image by id (never forced: an image a container uses stays); see <see cref="ImageRemoval"/>.</summary>
    Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct);

    /// <summary>The last lines a container wrote, for status messages of replicas that died.</summary>
    Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct);

    /// <summary>A container's log lines (stdout and stderr, demultiplexed), optionally following new ones.</summary>
    IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct);

    /// <summary>
    /// A container's log lines written at or after <paramref name="since"/> (all of them when null), then, with
    /// <paramref name="follow"/>, every new one until the container stops: how the log collector resumes where it left off
    /// without reading a container's whole log again. The default reads everything and skips the older lines here.
    /// </summary>
    async IAsyncEnumerable<EngineLogLine> StreamLogsSinceAsync(string id, DateTimeOffset? since, bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var line in StreamLogsAsync(id, follow, null, ct).ConfigureAwait(false))
        {
            if (since is null || line.Time >= since)
            {
                yield return line;
            }
        }
    }

    /// <summary>One sample of a running container's CPU and memory use; null when it is not running.</summary>
    Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct);

    /// <summary>
    /// One read of a running container's counters without waiting for the engine's second read (its CPU percent is then
    /// 0): cheap enough for the metrics sampler to make for every replica every few seconds; null when it is not running.
    /// The default reads a full sample, which carries the same counters.
    /// </summary>
    Task<ContainerUsage?> ReadCountersAsync(string id, CancellationToken ct) => GetUsageAsync(id, ct);

    /// <summary>
    /// The machines replicas may be placed on, with every other app's reservations on each, when the engine is a Swarm
    /// manager (issue 11); null on a single engine, whose one node <see cref="GetNodeCapacityAsync"/> describes.
    /// </summary>
    Task<IReadOnlyList<Resources.ClusterNode>?> GetClusterNodesAsync(string? excludeApp, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Resources.ClusterNode>?>(null);

    /// <summary>
    /// True when the engine is a Swarm manager (issue 11): scaling a service in then stops the tasks Swarm picks, not the
    /// replica a plan names (<see cref="Planning.PlanInput.EngineChoosesScaleIn"/>). False on a single engine.
    /// </summary>
    Task<bool> IsClusterAsync(CancellationToken ct) => Task.FromResult(false);

    /// <summary>
    /// Removes what the engine still runs for a removed app beyond its listed replicas (on a cluster: Swarm services scaled to
    /// zero), before its networks go. Nothing on a single engine, where every container is listed.
    /// </summary>
    Task RemoveAppLeftoversAsync(string app, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Container lifecycle events of Gantry's containers (die, start, health_status, destroy, oom), for fast reaction.</summary>
    IAsyncEnumerable<EngineEvent> WatchEventsAsync(CancellationToken ct);
}
