using System.Threading.Channels;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Rollout;

/// <summary>
/// Waits for a deploy or scale to converge: follows the app's event stream from the deploy's
/// cursor (for stages and warnings as they happen) and polls the app every <see cref="PollInterval"/>
/// (the authority on phase and generation), redrawing the per-service progress as either changes.
/// </summary>
public sealed class RolloutWatcher(IGantryApi api, IProgressView view, TimeProvider time)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns the app once it runs the generation; throws exit 6 when it failed and exit 1 on timeout.</summary>
    public async Task<AppDetail> WaitAsync(string app, long generation, long eventCursor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tracker = new RolloutTracker(generation);
        var events = Channel.CreateUnbounded<EventView>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var followCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var follower = FollowAsync(app, eventCursor, events.Writer, followCancel.Token);
        var deadline = time.GetUtcNow() + timeout;
        try
        {
            while (true)
            {
                Drain(events.Reader, tracker);
                var detail = await api.FindAppAsync(app, cancellationToken).ConfigureAwait(false)
                    ?? throw new CliException(ExitCodes.NotFound, $"app '{app}' disappeared while waiting for it (was it removed?)");
                tracker.Observe(detail);
                Drain(events.Reader, tracker);
                view.Update(tracker.Lines());
                switch (tracker.Outcome())
                {
                    case { Succeeded: true }:
                        return detail;
                    case { Succeeded: false } failed:
                        throw new CliException(ExitCodes.DeployFailed, $"deploy of '{app}' (generation {generation}) failed: {failed.Message}");
                }
                if (time.GetUtcNow() >= deadline)
                {
                    var message = detail.Message ?? detail.Status.Message;
                    throw new CliException(ExitCodes.Failed,
                        $"timed out after {Humanize.Duration(timeout)} waiting for '{app}' to run generation {generation}; last status: {detail.Phase}, observed generation {detail.ObservedGeneration}{(message is null ? "" : ": " + message)}");
                }
                await WaitForNextPollAsync(events.Reader, tracker, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await followCancel.CancelAsync().ConfigureAwait(false);
            await follower.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sleeps until the next poll, redrawing early whenever events arrive in between.</summary>
    private async Task WaitForNextPollAsync(ChannelReader<EventView> reader, RolloutTracker tracker, CancellationToken cancellationToken)
    {
        using var pollCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(PollInterval, time, pollCancel.Token);
        try
        {
            while (!delay.IsCompleted)
            {
                if (reader.Completion.IsCompleted)
                {
                    await delay.ConfigureAwait(false);
                    break;
                }
                var ready = reader.WaitToReadAsync(pollCancel.Token).AsTask();
                if (await Task.WhenAny(delay, ready).ConfigureAwait(false) == ready && await ready.ConfigureAwait(false))
                {
                    if (Drain(reader, tracker))
                    {
                        view.Update(tracker.Lines());
                    }
                }
            }
            await delay.ConfigureAwait(false);
        }
        finally
        {
            await pollCancel.CancelAsync().ConfigureAwait(false);
        }
    }

    private bool Drain(ChannelReader<EventView> reader, RolloutTracker tracker)
    {
        var any = false;
        while (reader.TryRead(out var e))
        {
            any = true;
            if (tracker.Observe(e) is { } warning)
            {
                view.Message(warning);
            }
        }
        return any;
    }

    private async Task FollowAsync(string app, long cursor, ChannelWriter<EventView> writer, CancellationToken cancellationToken)
    {
        // Yield first so the caller's first poll is not delayed by connecting the stream.
        await Task.Yield();
        var failures = 0;
        try
        {
            // The stream only adds detail (polling alone decides the outcome), so a dropped stream is
            // resumed from the last event seen, and a server that will not stream is given up on.
            while (!cancellationToken.IsCancellationRequested && failures < MaxFollowFailures)
            {
                var received = false;
                try
                {
                    await foreach (var e in api.FollowEventsAsync(app, cursor, cancellationToken).ConfigureAwait(false))
                    {
                        received = true;
                        cursor = Math.Max(cursor, e.Id);
                        writer.TryWrite(e);
                    }
                }
                catch (Exception ex) when (ex is CliException or HttpRequestException or IOException)
                {
                    // Counted below; the poll loop reports real trouble (401, unreachable) itself.
                }
                failures = received ? 0 : failures + 1;
                await Task.Delay(PollInterval * 2, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The rollout ended.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private const int MaxFollowFailures = 3;
}
