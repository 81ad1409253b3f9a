using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Logs;

/// <summary>
/// A fake engine that only lists containers, streams their logs (with the engine's inclusive `since`, to the tick) and
/// sends start events: the narrow seam the log collector reads through.
/// </summary>
public sealed class LogsOnlyEngine : NarrowEngine, IEngineDriver
{
    protected override string Seam => "the log collector only lists containers, reads logs and watches events";

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

    public override Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ObservedContainer>>([.. _containers.Values.Select(c => c.Container).Where(c => app is null || c.App == app)]);
        }
    }

    public override async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken ct)
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

    }
