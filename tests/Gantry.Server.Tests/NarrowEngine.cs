using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests;

/// <summary>
/// The base of the server tests' fake engines, each narrow to one seam (logs, builds, images, counters): every member
/// refuses with <see cref="Seam"/> until a fake overrides it. A fake that implements one of the interface's default members
/// (such as <see cref="IEngineDriver.ReadCountersAsync"/>) names <see cref="IEngineDriver"/> again in its own declaration,
/// so the interface maps to its method and not to the default.
/// </summary>
public abstract class NarrowEngine : IEngineDriver
{
    /// <summary>What the fake stands in for, said when anything else is called.</summary>
    protected abstract string Seam { get; }

    public virtual Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct) => throw Unused();

    public virtual Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct) => throw Unused();

    public virtual Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct) => throw Unused();

    public virtual Task StartContainerAsync(string id, CancellationToken ct) => throw Unused();

    public virtual Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct) => throw Unused();

    public virtual Task RemoveContainerAsync(string id, CancellationToken ct) => throw Unused();

    public virtual Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct) => throw Unused();

    public virtual Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct) => throw Unused();

    public virtual Task RemoveNetworkAsync(string name, CancellationToken ct) => throw Unused();

    public virtual Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct) => throw Unused();

    public virtual Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct) => throw Unused();

    public virtual Task RemoveVolumeAsync(string name, CancellationToken ct) => throw Unused();

    public virtual Task<string?> GetImageIdAsync(string reference, CancellationToken ct) => throw Unused();

    public virtual Task PullImageAsync(string reference, CancellationToken ct) => throw Unused();

    public virtual Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct) => throw Unused();

    public virtual Task RemoveBuiltImagesAsync(string app, CancellationToken ct) => throw Unused();

    public virtual Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) => throw Unused();

    public virtual Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct) => throw Unused();

    public virtual Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct) => throw Unused();

    public virtual IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) => throw Unused();

    public virtual Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) => throw Unused();

    public virtual IAsyncEnumerable<EngineEvent> WatchEventsAsync(CancellationToken ct) => throw Unused();

    protected NotSupportedException Unused() => new($"not part of this fake engine: {Seam}");
}
