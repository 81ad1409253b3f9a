using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Metrics;

/// <summary>A fake engine that only answers counter reads: every container uses a steady <see cref="Cores"/> since <see cref="Since"/>.</summary>
public sealed class CounterOnlyEngine(TimeProvider time) : IEngineDriver
{
    private int _reads;

    public DateTimeOffset Since { get; } = time.GetUtcNow();

    /// <summary>The steady CPU use of every container; settable so a test can make it idle.</summary>
    public double Cores { get; set; } = 0.25;

    public int Reads => Volatile.Read(ref _reads);

    public Task<ContainerUsage?> ReadCountersAsync(string id, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        var now = time.GetUtcNow();
        return Task.FromResult<ContainerUsage?>(new ContainerUsage(0, 8 << 20, 32 << 20)
        {
            ReadAt = now,
            CpuNanoseconds = (ulong)((now - Since).TotalSeconds * Cores * 1e9),
            NetworkRxBytes = (long)(now - Since).TotalSeconds * 100,
        });
    }

    public Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) => throw Unused();

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

    public Task<string?> GetImageIdAsync(string reference, CancellationToken ct) => throw Unused();

    public Task PullImageAsync(string reference, CancellationToken ct) => throw Unused();

    public Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct) => throw Unused();

    public Task RemoveBuiltImagesAsync(string app, CancellationToken ct) => throw Unused();

    public Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) => throw Unused();

    public Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct) => throw Unused();

    public Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct) => throw Unused();

    public IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) => throw Unused();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(CancellationToken ct) => throw Unused();

    private static NotSupportedException Unused() => new("the metrics sampler reads only counters from the engine");
}
