using Gantry.Controllers.Apps;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Apps;

/// <summary>
/// Every app as the store has it, kept in memory from one watch of the store, for the readers that look at all apps on
/// every sampler pass (the autoscaler, the alerts): they read this snapshot instead of re-reading and re-parsing every
/// app from the database every ten seconds. A change is parsed once, when the watch delivers it.
/// </summary>
public sealed partial class AppCatalog(IResourceStore store, ILogger<AppCatalog> logger) : BackgroundService
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<StoredApp> _apps = [];

    /// <summary>Raised after the snapshot changed (on the watch's task; handlers must not block).</summary>
    public event Action? Changed;

    /// <summary>The snapshot as it is now, without waiting for the first listing (empty until then): for <see cref="Changed"/> handlers.</summary>
    public IReadOnlyList<StoredApp> Current => _apps;

    /// <summary>The apps not being removed, oldest first (as <see cref="AppStoreExtensions.ListOtherAppsAsync"/> orders them), once the first listing is in.</summary>
    public async Task<IReadOnlyList<StoredApp>> AppsAsync(CancellationToken ct)
    {
        await _synced.Task.WaitAsync(ct).ConfigureAwait(false);
        return _apps;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var apps = new Dictionary<string, StoredApp>(StringComparer.Ordinal);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                await foreach (var change in store.WatchAsync(AppKinds.App, stoppingToken).ConfigureAwait(false))
                {
                    if (change.Type == ResourceChangeType.Synced)
                    {
                        foreach (var gone in apps.Keys.Where(a => !listed.Contains(a)).ToList())
                        {
                            apps.Remove(gone);
                        }
                        listed.Clear();
                        Publish(apps);
                        _synced.TrySetResult();
                        continue;
                    }
                    if (change.Resource is not { } resource)
                    {
                        continue;
                    }
                    if (change.Type == ResourceChangeType.Deleted)
                    {
                        apps.Remove(resource.Name);
                    }
                    else
                    {
                        listed.Add(resource.Name);
                        try
                        {
                            apps[resource.Name] = StoredApp.From(resource);
                        }
                        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
                        {
                            LogUnreadable(logger, resource.Name, e.Message);
                            apps.Remove(resource.Name);
                        }
                    }
                    if (_synced.Task.IsCompleted)
                    {
                        Publish(apps);
                    }
                }
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                LogWatchFailed(logger, e.Message);
            }
        }
    }

    private void Publish(Dictionary<string, StoredApp> apps)
    {
        _apps = [.. apps.Values.Where(a => !a.IsBeingDeleted).OrderBy(a => a.Resource.CreatedAt).ThenBy(a => a.Name, StringComparer.Ordinal)];
        Changed?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "app catalog: the store's watch failed ({Error}); listing again")]
    private static partial void LogWatchFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "app catalog: app '{App}' could not be read ({Error}); left out")]
    private static partial void LogUnreadable(ILogger logger, string app, string error);
}
