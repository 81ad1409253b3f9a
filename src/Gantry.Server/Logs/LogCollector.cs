using System.Globalization;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Logs;

/// <summary>
/// Copies every replica's output into the <see cref="LogStore"/> as it is written: one reader per container (the engine's
/// own follow stream, resumed from the container's cursor in the store, so a restarted server collects what was written
/// while it was down, once). Which containers: one listing of this installation's containers at start (and after the
/// engine's event stream reconnects), then the engine's `start` events. At rest it costs nothing: a silent container's
/// reader is an open stream that waits, and nothing here wakes on a timer.
/// </summary>
public sealed partial class LogCollector(IEngineDriver engine, LogStore store, TimeProvider time, ILogger<LogCollector> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Reader> _readers = new(StringComparer.Ordinal);

    /// <summary>Stopped containers read to their end, by id, with the start they were read after: not read again until they start again.</summary>
    private readonly Dictionary<string, DateTimeOffset?> _finished = new(StringComparer.Ordinal);

    private CancellationToken _stopping;

    /// <summary>Containers being read now.</summary>
    public int Readers
    {
        get
        {
            lock (_lock)
            {
                return _readers.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var pump = PumpAsync(events.Writer, watch.Token);
            try
            {
                // The listing comes after the watch is asked for, and again at its first event: a container started between
                // the two is caught by one or the other.
                await SyncAsync(null, stoppingToken).ConfigureAwait(false);
                var first = true;
                await foreach (var e in events.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    delay = TimeSpan.FromSeconds(1);
                    if (first)
                    {
                        first = false;
                        await SyncAsync(null, stoppingToken).ConfigureAwait(false);
                    }
                    else if (e.Action == "start" && e.App is { } app)
                    {
                        await SyncAsync(app, stoppingToken).ConfigureAwait(false);
                    }
                    else if (e.Action == "destroy")
                    {
                        lock (_lock)
                        {
                            _finished.Remove(e.ContainerId);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The collector is an observer: an engine outage (or a bug) is logged and the watch starts again; an exception
                // out of a hosted service would stop the host.
                LogEngineFailed(logger, e.Message, delay);
            }
            finally
            {
                await watch.CancelAsync().ConfigureAwait(false);
                await pump.ConfigureAwait(false);
            }
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    /// <summary>Copies the engine's events into <paramref name="to"/>; the channel ends with the stream, failed when it failed.</summary>
    private async Task PumpAsync(ChannelWriter<EngineEvent> to, CancellationToken ct)
    {
        try
        {
            await foreach (var e in engine.WatchEventsAsync(ct).ConfigureAwait(false))
            {
                to.TryWrite(e);
            }
            to.TryComplete(new EngineException("the engine's event stream ended", isTransient: true));
        }
        catch (Exception e)
        {
            to.TryComplete(e is OperationCanceledException ? null : e);
        }
    }

    /// <summary>Starts a reader for every listed container (of one app, or all) that may have lines not yet collected.</summary>
    private async Task SyncAsync(string? app, CancellationToken ct)
    {
        foreach (var container in await engine.ListContainersAsync(app, ct).ConfigureAwait(false))
        {
            Ensure(container);
        }
    }

    private void Ensure(ObservedContainer container)
    {
        if (container.App is not { } app)
        {
            return;
        }
        lock (_lock)
        {
            if (_readers.TryGetValue(container.Id, out var reading))
            {
                // It may have stopped and started again since the reader's stream opened: read once more when it ends.
                reading.Again = true;
                return;
            }
            if (!container.IsRunning && _finished.TryGetValue(container.Id, out var startedAt) && startedAt == container.StartedAt)
            {
                return;
            }
            var reader = new Reader(container, app);
            _readers[container.Id] = reader;
            reader.Task = Task.Run(() => ReadAsync(reader));
        }
    }

    private async Task ReadAsync(Reader reader)
    {
        var c = reader.Container;
        var id = c.Id.Length > 12 ? c.Id[..12] : c.Id;
        var release = int.TryParse(c.Labels.GetValueOrDefault(GantryLabels.Release), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var service = c.Service ?? "";
        var retry = FirstRetry;
        while (true)
        {
            var collected = false;
            try
            {
                var cursor = store.CursorOf(reader.App, id);
                var skip = cursor?.AtTime ?? 0;
                await foreach (var line in engine.StreamLogsSinceAsync(c.Id, cursor?.Time, follow: true, _stopping).ConfigureAwait(false))
                {
                    if (cursor is { } at && (line.Time < at.Time || (line.Time == at.Time && skip-- > 0)))
                    {
                        continue;
                    }
                    var stamp = line.Time == DateTimeOffset.MinValue ? time.GetUtcNow() : line.Time;
                    store.Append(reader.App, new StoredLogLine(stamp, service, c.Name, release, line.Stream, id, line.Text));
                    collected = true;
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (EngineException e)
            {
                // Removed while being read, or the engine went away: the event stream's reconnect lists it again.
                LogReadEnded(logger, c.Name, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReadFailed(logger, c.Name, e);
            }

            // A follow stream ends when its container stops. One that ends while the container still runs the same start
            // was dropped (a connection reset, a proxy's timeout): read again from the cursor, backing off while it keeps
            // dropping with nothing read.
            if (!reader.Again && await StillRunningAsync(reader).ConfigureAwait(false))
            {
                retry = collected ? FirstRetry : retry;
                LogStreamDropped(logger, c.Name, retry);
                try
                {
                    await Task.Delay(retry, time, _stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                continue;
            }
            lock (_lock)
            {
                if (reader.Again)
                {
                    reader.Again = false;
                    continue;
                }
                _readers.Remove(c.Id);
                _finished[c.Id] = c.StartedAt;
                return;
            }
        }
    }

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>Whether the container runs the start its reader began with; false when the engine cannot say (its event
    /// stream's reconnect lists the containers again).</summary>
    private async Task<bool> StillRunningAsync(Reader reader)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }
        try
        {
            var now = (await engine.ListContainersAsync(reader.App, _stopping).ConfigureAwait(false)).FirstOrDefault(c => c.Id == reader.Container.Id);
            return now is { IsRunning: true } && now.StartedAt == reader.Container.StartedAt;
        }
        catch (Exception e) when (e is EngineException or HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One container being read; <see cref="Again"/> when it was seen starting while its stream was open.</summary>
    private sealed class Reader(ObservedContainer container, string app)
    {
        public ObservedContainer Container { get; } = container;

        public string App { get; } = app;

        public bool Again { get; set; }

        public Task? Task { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "log collector: the engine did not answer ({Error}); trying again in {Delay}")]
    private static partial void LogEngineFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "log collector: reading {Replica} failed")]
    private static partial void LogReadFailed(ILogger logger, string replica, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "log collector: the log stream of {Replica} ended while it runs; reading again from its cursor in {Delay}")]
    private static partial void LogStreamDropped(ILogger logger, string replica, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "log collector: stopped reading {Replica} ({Error})")]
    private static partial void LogReadEnded(ILogger logger, string replica, string error);
}
