using Gantry.Controllers.Apps;
using Gantry.Store;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Requests;

/// <summary>Forgets a deleted app's requests (<see cref="RequestLog.Forget"/>) when the store reports the deletion.</summary>
/// <remarks>Driven by the store's watch of apps, not a timer. Routers report up to a couple of seconds late, so a
/// deleted app is forgotten once more after <see cref="LateReportGrace"/>, taking the stragglers with it.</remarks>
public sealed class RequestLogPruner(IResourceStore store, RequestLog log, TimeProvider time) : BackgroundService
{
    /// <summary>How long after a deletion reports of the app may still arrive (the routers post every 2 s).</summary>
    public static readonly TimeSpan LateReportGrace = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var existing = new HashSet<string>(StringComparer.Ordinal);
                var synced = false;
                await foreach (var change in store.WatchAsync(AppKinds.App, stoppingToken).ConfigureAwait(false))
                {
                    if (change.Type == ResourceChangeType.Synced && !synced)
                    {
                        synced = true;
                        // Apps deleted while this watch was away (a re-list after a compacted log).
                        foreach (var app in log.Apps.Where(a => !existing.Contains(a)))
                        {
                            log.Forget(app);
                        }
                    }
                    else if (change.Type == ResourceChangeType.Deleted && change.Resource is { } deleted)
                    {
                        existing.Remove(deleted.Name);
                        log.Forget(deleted.Name);
                        _ = ForgetLaterAsync(deleted.Name, stoppingToken);
                    }
                    else if (change.Resource is { } resource)
                    {
                        existing.Add(resource.Name);
                    }
                }
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException)
            {
                // The watch ended with a store failure: watch again from a fresh listing.
            }
        }
    }

    private async Task ForgetLaterAsync(string app, CancellationToken ct)
    {
        try
        {
            await Task.Delay(LateReportGrace, time, ct).ConfigureAwait(false);
            if (await store.GetAsync(AppKinds.App, app, ct).ConfigureAwait(false) is null)
            {
                log.Forget(app);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or StoreException)
        {
            // Shutting down (the log goes with the process), or the store failed: the app was forgotten once already.
        }
    }
}
