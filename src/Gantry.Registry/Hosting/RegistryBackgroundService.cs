using Gantry.Registry.Events;
using Gantry.Registry.Gc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Hosting;

/// <summary>Starts event delivery and runs the garbage collector on its interval, measured on the TimeProvider.</summary>
public sealed partial class RegistryBackgroundService(
    RegistryOptions options,
    RegistryEventPublisher events,
    RegistryGarbageCollector collector,
    TimeProvider time,
    ILogger<RegistryBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        events.Start();
        if (options.GarbageCollectionInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.GarbageCollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await collector.RunAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Registry garbage collection failed; it will run again on the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
