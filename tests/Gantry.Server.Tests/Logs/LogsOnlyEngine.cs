using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Logs;

/// <summary>
/// A fake engine that only lists containers, streams their logs (with the engine's inclusive `since`, to the tick) and
/// sends start events: the narrow seam the log collector reads through.
/// </summary>
public sealed class LogsOnlyEngine : IEngineDriver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ObservedContainer Container, List<EngineLogLine> Lines)> _containers = new(StringComparer.Ordinal);
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>();
    private readonly Dictionary<string, TaskCompletionSource> _open = new(StringComparer.Ordinal);
    private int _streams;

    /// <summary>Log streams opened so far.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>Adds a container (running or not) with the lines it wrote so far; a start event announces it.</summary>
    public void Add(string id, string app, string service, int release, bool running, params EngineLogLine[] lines)
    {
        var container = new ObservedContainer(id, $"{app}-{service}-1-{id[..4]}")
        {
            Labels = new Dictionary<string, string> { [GantryLabels.App] = app, [GantryLabels.Service] = service, [GantryLabels.Release] = release.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            State = running ? "running" : "exited",
            StartedAt = DateTimeOffset.UnixEpoch,
        };
        lock (_lock)
        {
            _containers[id] = (container, [.. lines]);
        }
        _events.Writer.TryWrite(new EngineEvent("start", id, app, service, DateTimeOffset.UnixEpoch));
    }

    /// <summary>Lines the container writes while nobody reads (the server is down).</summary>
    public void Write(string id, params EngineLogLine[] lines)
    {
        lock (_lock)
        {
            _containers[id].Lines.AddRange(lines);
        }
    }

    /// <summary>Breaks the container's open follow stream (a connection reset) while the container keeps running.</summary>
    public void Drop(string id)
    {
        lock (_lock)
        {
            _open.Remove(id, out var stream);
            stream?.TrySetException(new IOException("the response ended prematurely"));
        }
    }

    public Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ObservedContainer>>([.. _containers.Values.Select(c => c.Container).Where(c => app is null || c.App == app)]);
        }
    }

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct))
        {
            yield return e;
        }
    }

    /// <summary>The lines so far; a running container's stream then waits (a silent replica) until cancelled.</summary>
    public async IAsyncEnumerable<EngineLogLine> StreamLogsSinceAsync(string id, DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        Interlocked.Increment(ref _streams);
        List<EngineLogLine> lines;
        bool running;
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            lines = [.. _containers[id].Lines];
            running = _containers[id].Container.IsRunning;
            _open[id] = open;
        }
        foreach (var line in lines.Where(l => since is null || l.Time >= since))
        {
            yield return line;
        }
        if (follow && running)
        {
            await open.Task.WaitAsync(ct);
        }
    }

    public Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) => throw Unused();

    public Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct) => throw Unused();

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

    private static NotSupportedException Unused() => new("the log collector only lists containers, reads logs and watches events");
}
