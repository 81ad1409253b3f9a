using System.Threading.Channels;
using Gantry.Controllers.Apps;
using Gantry.Model.Status;
using Gantry.Store;

namespace Gantry.Server.Git;

/// <summary>
/// Follows one deploy to its end for a waiting push: the app's events (from the deploy's cursor) and its build lines as
/// lines to print, and the app's stored status (through the store's watch, nothing polls) as the authority on the outcome:
/// the generation observed and Running, or Failed.
/// </summary>
public sealed class PushRollout(IResourceStore store, BuildOutput builds, TimeProvider time)
{
    /// <summary>Starts listening to <paramref name="app"/>'s build lines; call before the deploy is stored, so no line is missed.</summary>
    public PushWatch Watch(string app) => new(app, builds);

    /// <summary>Prints progress through <paramref name="say"/> until the generation runs or fails, or <paramref name="timeout"/> passes.</summary>
    public async Task<PushRolloutOutcome> FollowAsync(PushWatch watch, long generation, long eventCursor, Func<string, Task> say, TimeSpan timeout, CancellationToken ct)
    {
        var signals = watch.Signals;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var deadline = new CancellationTokenSource(timeout, time);
        var events = PumpEventsAsync(watch.App, eventCursor, signals.Writer, stop.Token);
        var states = PumpStatesAsync(watch.App, signals.Writer, stop.Token);
        try
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            await foreach (var signal in signals.Reader.ReadAllAsync(both.Token).ConfigureAwait(false))
            {
                switch (signal)
                {
                    case string line:
                        await say(line).ConfigureAwait(false);
                        break;
                    case StoredApp stored when Outcome(stored, generation) is { } outcome:
                        // Lines already queued (the last events) go out before the verdict.
                        while (signals.Reader.TryRead(out var more))
                        {
                            if (more is string late)
                            {
                                await say(late).ConfigureAwait(false);
                            }
                        }
                        return outcome;
                }
            }
            return new PushRolloutOutcome(PushRolloutResult.Failed, "the server stopped following the deploy");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new PushRolloutOutcome(PushRolloutResult.TimedOut, $"still rolling out after {timeout.TotalMinutes:0} min: follow it with 'gantry events {watch.App} -f'");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await events.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await states.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Pure: null while the generation is still being rolled out.</summary>
    public static PushRolloutOutcome? Outcome(StoredApp stored, long generation)
    {
        if (stored.IsBeingDeleted)
        {
            return new PushRolloutOutcome(PushRolloutResult.Failed, "the app is being removed");
        }
        if (stored.Resource.ObservedGeneration < generation || stored.Status is not { } status)
        {
            return null;
        }
        return status.Phase switch
        {
            AppPhase.Running => new PushRolloutOutcome(PushRolloutResult.Running, null),
            AppPhase.Failed => new PushRolloutOutcome(PushRolloutResult.Failed, status.Message ?? "the server gave no reason"),
            _ => null,
        };
    }

    private async Task PumpEventsAsync(string app, long cursor, ChannelWriter<object> writer, CancellationToken ct)
    {
        await foreach (var e in store.FollowEventsAsync(new EventQuery { App = app, AfterId = cursor }, ct).ConfigureAwait(false))
        {
            var where = e.Replica ?? e.Service;
            writer.TryWrite(where is null ? e.Message : $"{where}: {e.Message}");
        }
    }

    private async Task PumpStatesAsync(string app, ChannelWriter<object> writer, CancellationToken ct)
    {
        await foreach (var change in store.WatchAsync(AppKinds.App, ct).ConfigureAwait(false))
        {
            if (change.Resource is { } resource && resource.Name == app)
            {
                writer.TryWrite(StoredApp.From(resource));
            }
        }
    }
}
