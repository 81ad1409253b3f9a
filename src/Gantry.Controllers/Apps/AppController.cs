using Gantry.Controllers.Engine;
using Gantry.Controllers.Runtime;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Controllers.Apps;

/// <summary>
/// Drives <see cref="AppReconciler"/> for every app. A pass runs when an app's spec, generation or deletion
/// changes (never for its own status write), when an engine event changes what is observed (never for exec
/// events), when the pass itself asked for a wake-up, after a failure (exponential backoff), and at a slow,
/// jittered resync. Level-based: a pass never depends on which of these triggered it. At rest nothing runs.
/// </summary>
public sealed class AppController(IResourceStore store, IEngineDriver engine, AppReconciler reconciler, AppControllerOptions options, TimeProvider time, ILogger<AppController> logger)
{
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Lock _failuresLock = new();
    private readonly SemaphoreSlim _resyncNow = new(0);

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var queue = new WorkQueue<string>(time);
        var tasks = new List<Task>
        {
            WatchStoreAsync(queue, ct),
            WatchEngineAsync(queue, ct),
            ResyncAsync(queue, ct),
        };
        for (var i = 0; i < Math.Max(1, options.Workers); i++)
        {
            tasks.Add(WorkAsync(queue, ct));
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // Stops still running in the background end with the cancellation too; none is left running past the controller.
        await reconciler.BackgroundStops.ConfigureAwait(false);
    }

    private async Task WorkAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var app = await queue.TakeAsync(ct).ConfigureAwait(false);
            try
            {
                var again = await reconciler.ReconcileAsync(app, ct).ConfigureAwait(false);
                lock (_failuresLock)
                {
                    _failures.Remove(app);
                }
                if (again is { } delay)
                {
                    queue.AddAfter(app, delay);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                int failures;
                lock (_failuresLock)
                {
                    failures = _failures[app] = _failures.GetValueOrDefault(app) + 1;
                }
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures - 1, 10))));
                AppControllerLog.ReconcileFailed(logger, e, app, delay);
                queue.AddAfter(app, delay);
            }
            finally
            {
                queue.Done(app);
            }
        }
    }

    private async Task WatchStoreAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        var triggers = new ReconcileTriggers();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                triggers.Reset();
                await foreach (var change in store.WatchAsync(AppKinds.App, ct).ConfigureAwait(false))
                {
                    if (triggers.IsSpecChange(change))
                    {
                        queue.Add(change.Resource!.Name);
                    }
                }
                AppControllerLog.WatchEnded(logger, null, TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                AppControllerLog.WatchEnded(logger, e, TimeSpan.FromSeconds(1));
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
        }
    }

    private async Task WatchEngineAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var reconnected = !first;
                first = false;
                await foreach (var e in engine.WatchEventsAsync(ct).ConfigureAwait(false))
                {
                    delay = TimeSpan.FromSeconds(1);
                    if (reconnected)
                    {
                        // Events may have been missed while the stream was down: look at everything once.
                        reconnected = false;
                        _resyncNow.Release();
                    }
                    if (e.App is { } app && ReconcileTriggers.IsObservedChange(e.Action))
                    {
                        queue.Add(app);
                    }
                }
                AppControllerLog.EventStreamEnded(logger, null, delay);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                AppControllerLog.EventStreamEnded(logger, e, delay);
            }
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    /// <summary>
    /// Level-based safety net: every app in the store, and every app the engine still has containers for (orphans of
    /// removed apps). Slow (minutes) and jittered so that many apps do not line up; sooner after the engine's event
    /// stream reconnects.
    /// </summary>
    private async Task ResyncAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var resource in await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
                {
                    queue.Add(resource.Name);
                }
                foreach (var container in await engine.ListContainersAsync(null, ct).ConfigureAwait(false))
                {
                    if (container.App is { } app)
                    {
                        queue.Add(app);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                AppControllerLog.ReconcileFailed(logger, e, "*", options.ResyncInterval);
            }
            var jitter = options.ResyncInterval * (Random.Shared.NextDouble() * 0.2 - 0.1);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timeout = Task.Delay(options.ResyncInterval + jitter, time, wait.Token);
            var early = _resyncNow.WaitAsync(wait.Token);
            await Task.WhenAny(timeout, early).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }
}
