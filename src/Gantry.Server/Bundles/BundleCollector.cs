using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Bundles;

/// <summary>
/// Runs <see cref="BundleStore.CollectAsync"/> when something may have stopped referencing a bundle: an app
/// or a release deleted (an app removed, a release pruned), a deploy finished, and once at start (leftovers
/// of earlier runs). It reacts to the store's watch stream; at rest it does nothing at all.
/// </summary>
public sealed partial class BundleCollector(BundleStore bundles, IResourceStore store, TimeProvider time, ILogger<BundleCollector> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchAsync(AppKinds.App, stoppingToken), WatchAsync(ReleaseBook.Kind, stoppingToken), CollectAsync(stoppingToken));

    private async Task WatchAsync(string kind, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(kind, ct).ConfigureAwait(false))
                {
                    if (change.Type is ResourceChangeType.Synced or ResourceChangeType.Deleted)
                    {
                        bundles.RequestCollection();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWatchFailed(logger, kind, e);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
        }
    }

    private async Task CollectAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var _ in bundles.CollectionRequests.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await bundles.CollectAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCollectFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(4003, LogLevel.Warning, "Bundle collector's watch of {Kind} failed; watching again")]
    private static partial void LogWatchFailed(ILogger logger, string kind, Exception error);

    [LoggerMessage(4004, LogLevel.Warning, "Bundle collection failed; it runs again at the next removal or deploy")]
    private static partial void LogCollectFailed(ILogger logger, Exception error);
}
