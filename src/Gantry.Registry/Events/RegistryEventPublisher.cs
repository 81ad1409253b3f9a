using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Events;

/// <summary>
/// Fans registry events out to every sink, each through its own bounded queue and loop, so a slow or failing
/// sink (a webhook that retries) never delays a push response or the other sinks. A full queue drops its oldest event.
/// </summary>
public sealed partial class RegistryEventPublisher : IAsyncDisposable
{
    private readonly (IRegistryEventSink Sink, Channel<RegistryEvent> Queue)[] _sinks;
    private readonly ILogger<RegistryEventPublisher> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];

    public RegistryEventPublisher(IEnumerable<IRegistryEventSink> sinks, RegistryOptions options, ILogger<RegistryEventPublisher> logger)
    {
        _logger = logger;
        _sinks = [.. sinks.Select(s => (s, Channel.CreateBounded<RegistryEvent>(new BoundedChannelOptions(Math.Max(1, options.EventQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, dropped => LogDropped(_logger, dropped.Action, dropped.Repository, dropped.Digest))))];
    }

    public void Start()
    {
        if (_loops.Length == 0)
        {
            _loops = [.. _sinks.Select(s => Task.Run(() => RunAsync(s.Sink, s.Queue.Reader, _stop.Token)))];
        }
    }

    public void Publish(RegistryEvent e)
    {
        foreach ((_, Channel<RegistryEvent> queue) in _sinks)
        {
            queue.Writer.TryWrite(e);
        }
    }

    private async Task RunAsync(IRegistryEventSink sink, ChannelReader<RegistryEvent> reader, CancellationToken ct)
    {
        try
        {
            await foreach (RegistryEvent e in reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await sink.OnEventAsync(e, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSinkFailed(_logger, ex, sink.GetType().Name, e.Action, e.Repository);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach ((_, Channel<RegistryEvent> queue) in _sinks)
        {
            queue.Writer.TryComplete();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Registry event queue full: dropped {Action} event for {Repository}@{Digest}")]
    private static partial void LogDropped(ILogger logger, RegistryEventAction action, string repository, string digest);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Registry event sink {Sink} failed on {Action} event for {Repository}")]
    private static partial void LogSinkFailed(ILogger logger, Exception ex, string sink, RegistryEventAction action, string repository);
}
