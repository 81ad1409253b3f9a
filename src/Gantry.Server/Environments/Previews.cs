using Gantry.Controllers.Apps;
using Gantry.Model.Environments;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Environments;

/// <summary>
/// Branches' preview environments (issue 13): removed when their branch is deleted (the push says so) or once idle for
/// <see cref="ServerOptions.PreviewIdle"/>. The idle check sleeps until the next preview's due time and wakes early when a
/// push records one; with no preview it waits for a push: nothing is polled at rest.
/// </summary>
public sealed partial class Previews(IResourceStore store, EnvironmentService environments, ServerOptions options, TimeProvider time, ILogger<Previews> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(24);

    private readonly Controllers.Runtime.Wakeup _pushed = new();

    /// <summary>A preview was pushed: its due time moved (or it is the first).</summary>
    public void Pushed() => _pushed.Set();

    /// <summary>Removes the preview of <paramref name="branch"/> of <paramref name="app"/>; null when it had none, else what was done.</summary>
    public async Task<string?> RemoveAsync(string app, string branch, CancellationToken ct)
    {
        var instance = EnvironmentNames.InstanceOf(app, PreviewNames.Environment(branch));
        return await environments.ForInstanceAsync(instance, ct).ConfigureAwait(false) is { Preview: not null } record
            ? await RemoveAsync(record, ct).ConfigureAwait(false)
            : null;
    }

    private async Task<string> RemoveAsync(EnvironmentRecord record, CancellationToken ct)
    {
        // As `gantry rm`: the controller removes the replicas, routes and networks, then the app; the settings go now.
        if (await store.GetAppAsync(record.Instance, ct).ConfigureAwait(false) is { IsBeingDeleted: false })
        {
            await store.RequestDeletionAsync(AppKinds.App, record.Instance, ct).ConfigureAwait(false);
        }
        await environments.ForgetAsync(record, ct).ConfigureAwait(false);
        LogRemoved(logger, record.Instance, record.Preview!.Branch);
        return $"removed the preview of '{record.Preview.Branch}' ({record.Instance}, {record.Preview.Host})";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            try
            {
                var (expired, due) = PreviewSchedule.At(await environments.PreviewsAsync(stoppingToken).ConfigureAwait(false), options.PreviewIdle, time.GetUtcNow());
                foreach (var record in expired)
                {
                    LogIdle(logger, record.Instance, options.PreviewIdle);
                    await RemoveAsync(record, stoppingToken).ConfigureAwait(false);
                }
                next = due;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                LogFailed(logger, e.Message);
                next = time.GetUtcNow().AddMinutes(1);
            }
            // At most 24 days at once (a timer's limit); with no preview, until a push records one.
            var wait = next is { } at ? TimeSpan.FromTicks(Math.Clamp((at - time.GetUtcNow()).Ticks, 0, MaxWait.Ticks)) : Timeout.InfiniteTimeSpan;
            try
            {
                await _pushed.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "previews: removed {Instance}, the preview of branch '{Branch}'")]
    private static partial void LogRemoved(ILogger logger, string instance, string branch);

    [LoggerMessage(Level = LogLevel.Information, Message = "previews: {Instance} was not pushed for {Idle}: removing it")]
    private static partial void LogIdle(ILogger logger, string instance, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "previews: could not read the previews ({Error}); trying again in a minute")]
    private static partial void LogFailed(ILogger logger, string error);
}
