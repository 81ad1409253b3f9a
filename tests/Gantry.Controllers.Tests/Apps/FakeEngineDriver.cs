using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>
/// The narrow driver seam, faked: containers are records in a dictionary, created and started as the reconciler
/// asks; tests change their state (exit, health) and push engine events. It counts what the reconciler did.
/// </summary>
internal sealed class FakeEngineDriver(TimeProvider time) : IEngineDriver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ObservedContainer> _containers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _networks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _volumes = new(StringComparer.Ordinal);
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>();
    private int _nextId;

    /// <summary>Health a started container reports at once (a container without a check reports "none").</summary>
    public string HealthOnStart { get; set; } = "none";

    /// <summary>When set, every app listing waits for it: a test holds a pass in the middle.</summary>
    public TaskCompletionSource? ListGate { get; set; }

    public int Creates;
    public int Starts;
    public int Stops;
    public int Removes;
    public int AppListings;
    public int LogTails;

    /// <summary>Calls that change the engine.</summary>
    public int Mutations => Creates + Starts + Stops + Removes;

    public IReadOnlyList<ObservedContainer> Containers
    {
        get
        {
            lock (_lock)
            {
                return _containers.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public void Update(string id, Func<ObservedContainer, ObservedContainer> change)
    {
        lock (_lock)
        {
            _containers[id] = change(_containers[id]);
        }
    }

    public void Publish(string action, ObservedContainer c) =>
        _events.Writer.TryWrite(new EngineEvent(action, c.Id, c.App, c.Service, time.GetUtcNow()));

    public Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct) => Task.FromResult(new NodeCapacity("fake", 8L << 30, 4));

    public async Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct)
    {
        if (app is not null)
        {
            Interlocked.Increment(ref AppListings);
            if (ListGate is { } gate)
            {
                await gate.Task.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        lock (_lock)
        {
            return _containers.Values.Where(c => app is null || c.App == app).ToList();
        }
    }

    public Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_containers.Values.Any(c => c.Name == plan.Name))
            {
                throw new EngineConflictException($"the name {plan.Name} is taken");
            }
            Interlocked.Increment(ref Creates);
            var id = $"c{++_nextId:D4}";
            _containers[id] = new ObservedContainer(id, plan.Name)
            {
                Labels = plan.Labels,
                ImageId = plan.Image,
                MemoryLimitBytes = plan.MemoryLimitBytes,
                NanoCpus = plan.NanoCpus,
                IpAddress = $"10.0.0.{_nextId % 250}",
            };
            return Task.FromResult(id);
        }
    }

    public Task StartContainerAsync(string id, CancellationToken ct)
    {
        Interlocked.Increment(ref Starts);
        Update(id, c => c with { State = "running", Health = HealthOnStart, StartedAt = time.GetUtcNow(), FinishedAt = null, ExitCode = 0 });
        return Task.CompletedTask;
    }

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct)
    {
        Interlocked.Increment(ref Stops);
        Update(id, c => c with { State = "exited", FinishedAt = time.GetUtcNow() });
        return Task.CompletedTask;
    }

    public Task RemoveContainerAsync(string id, CancellationToken ct)
    {
        Interlocked.Increment(ref Removes);
        lock (_lock)
        {
            _containers.Remove(id);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct) => Task.FromResult(Objects(_networks, app));

    public Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct)
    {
        lock (_lock)
        {
            _networks.Add(Names.Network(app, network));
        }
        return Task.CompletedTask;
    }

    public Task RemoveNetworkAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            _networks.Remove(name);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct) => Task.FromResult(Objects(_volumes, app));

    public Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct)
    {
        lock (_lock)
        {
            _volumes.Add(Names.Volume(app, volume));
        }
        return Task.CompletedTask;
    }

    public Task RemoveVolumeAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            _volumes.Remove(name);
        }
        return Task.CompletedTask;
    }

    public Task<string?> GetImageIdAsync(string reference, CancellationToken ct) =>
        Task.FromResult<string?>(reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : "sha256:" + reference.Replace(':', '-'));

    public Task PullImageAsync(string reference, CancellationToken ct) => Task.CompletedTask;

    /// <summary>When set, the fake is a cluster: what a release's services name in place of their image ids (by digest).</summary>
    public Func<ImageToDistribute, string?>? Distribute { get; set; }

    public Task<string?> DistributeImageAsync(ImageToDistribute image, CancellationToken ct) => Task.FromResult(Distribute?.Invoke(image));

    public Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct) =>
        Task.FromResult("sha256:built-" + tag.Replace(':', '-'));

    public Task RemoveBuiltImagesAsync(string app, CancellationToken ct) => Task.CompletedTask;

    public Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) => Task.FromResult<long?>(1L << 20);

    public Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct) => Task.FromResult(ImageRemoval.Removed);

    public Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct)
    {
        Interlocked.Increment(ref LogTails);
        return Task.FromResult<IReadOnlyList<string>>(["boom"]);
    }

    public IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) => throw new NotSupportedException();

    public Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) => Task.FromResult<ContainerUsage?>(null);

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    private IReadOnlyList<ObservedObject> Objects(HashSet<string> names, string? app)
    {
        lock (_lock)
        {
            return names.Where(n => app is null || n.StartsWith(app + "_", StringComparison.Ordinal))
                .Select(n => new ObservedObject(n, new Dictionary<string, string> { [GantryLabels.App] = app ?? "" })).ToList();
        }
    }
}
