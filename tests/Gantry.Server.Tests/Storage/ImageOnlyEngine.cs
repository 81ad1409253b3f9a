using System.Collections.Concurrent;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Storage;

/// <summary>A fake engine that only holds images (id → size, and which are in use): retention touches nothing else.</summary>
public sealed class ImageOnlyEngine : IEngineDriver
{
    public ConcurrentDictionary<string, long> Images { get; } = new(StringComparer.Ordinal);

    public HashSet<string> InUse { get; } = new(StringComparer.Ordinal);

    public List<string> Removed { get; } = [];

    public Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) =>
        Task.FromResult(Images.TryGetValue(idOrReference, out var size) ? size : (long?)null);

    public Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct)
    {
        if (InUse.Contains(id))
        {
            return Task.FromResult(ImageRemoval.InUse);
        }
        if (!Images.TryRemove(id, out _))
        {
            return Task.FromResult(ImageRemoval.Missing);
        }
        lock (Removed)
        {
            Removed.Add(id);
        }
        return Task.FromResult(ImageRemoval.Removed);
    }

    public Task<string?> GetImageIdAsync(string reference, CancellationToken ct) => Task.FromResult(Images.ContainsKey(reference) ? reference : null);

    public Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct) => throw Unused();

    public Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct) => throw Unused();

    public Task StartContainerAsync(string id, CancellationToken ct) => throw Unused();

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct) => throw Unused();

    public Task RemoveContainerAsync(string id, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct) => throw Unused();

    public Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct) => throw Unused();

    public Task RemoveNetworkAsync(string name, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct) => throw Unused();

    public Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct) => throw Unused();

    public Task RemoveVolumeAsync(string name, CancellationToken ct) => throw Unused();

    public Task PullImageAsync(string reference, CancellationToken ct) => throw Unused();

    public Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct) => throw Unused();

    public Task RemoveBuiltImagesAsync(string app, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct) => throw Unused();

    public IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) => throw Unused();

    public Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) => throw Unused();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(CancellationToken ct) => throw Unused();

    private static NotSupportedException Unused() => new("retention uses only the image members of the engine driver");
}
