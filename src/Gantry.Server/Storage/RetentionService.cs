using System.Text.Json;
using System.Threading.Channels;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Storage;

/// <summary>
/// Applies <see cref="RetentionPlanner"/>'s decisions: deletes release records past the retention and removes from the
/// engine the images only they referenced. It runs when a release goes live (the store's watch of releases says so) and
/// once at start, never on a timer; `gantry system prune` runs it on demand, or as a dry run.
/// </summary>
public sealed partial class RetentionService(IResourceStore store, IEngineDriver engine, RetentionPolicy policy, ILogger<RetentionService> logger,
    Bundles.BundleStore? bundles = null)
    : BackgroundService
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>What the rules would remove now.</summary>
    public async Task<RetentionPlan> PlanAsync(CancellationToken ct) =>
        RetentionPlanner.Plan(await ReadAsync(ct).ConfigureAwait(false), policy);

    /// <summary>Plans and, unless <paramref name="dryRun"/>, removes; the report lists what was (or would be) removed.</summary>
    public async Task<PruneReport> PruneAsync(bool dryRun, CancellationToken ct)
    {
        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var plan = await PlanAsync(ct).ConfigureAwait(false);
            var releases = plan.Releases.Select(r => new PrunedRelease(r.Record.App, r.Record.Number, r.State.Phase)).ToList();
            if (dryRun)
            {
                var sized = new List<PrunedImage>();
                foreach (var image in plan.Images)
                {
                    sized.Add(new PrunedImage(image.Id, image.Releases) { Bytes = await engine.GetImageSizeAsync(image.Id, ct).ConfigureAwait(false) });
                }
                var unreferenced = bundles is null ? 0 : (await bundles.UsageAsync(ct).ConfigureAwait(false)).UnreferencedBytes;
                return new PruneReport(true, releases, sized) { KeepReleases = policy.KeepReleasesPerApp, BundleBytes = unreferenced };
            }

            foreach (var release in plan.Releases)
            {
                await store.DeleteAsync(ReleaseBook.Kind, release.Name, null, ct).ConfigureAwait(false);
            }
            // A bundle goes once no app and no kept release references it (the collector would see the deletions too).
            var bundleBytes = bundles is null ? 0 : await bundles.CollectAsync(ct).ConfigureAwait(false);

            // A deploy or rollback may have started between the plan and now: re-read, and spare what it references.
            var keptNow = (await PlanAsync(ct).ConfigureAwait(false)).KeptImageIds;
            var images = new List<PrunedImage>();
            foreach (var image in plan.Images)
            {
                if (keptNow.Contains(image.Id))
                {
                    continue;
                }
                var bytes = await engine.GetImageSizeAsync(image.Id, ct).ConfigureAwait(false);
                var outcome = bytes is null ? ImageRemoval.Missing : await engine.RemoveImageAsync(image.Id, ct).ConfigureAwait(false);
                images.Add(new PrunedImage(image.Id, image.Releases) { Bytes = bytes, Outcome = Outcome(outcome) });
            }
            if (releases.Count > 0 || images.Count > 0)
            {
                LogPruned(logger, releases.Count, images.Count(i => i.Outcome == PruneOutcomes.Removed),
                    images.Where(i => i.Outcome == PruneOutcomes.Removed).Sum(i => i.Bytes ?? 0));
            }
            return new PruneReport(false, releases, images) { KeepReleases = policy.KeepReleasesPerApp, BundleBytes = bundleBytes };
        }
        finally
        {
            _running.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = RunPrunesAsync(stoppingToken);
        try
        {
            await WatchGoLivesAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _wake.Writer.TryComplete();
            await worker.ConfigureAwait(false);
        }
    }

    /// <summary>Wakes the pruning loop once at start and whenever a release's phase becomes live.</summary>
    private async Task WatchGoLivesAsync(CancellationToken ct)
    {
        var phases = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(ReleaseBook.Kind, ct).ConfigureAwait(false))
                {
                    if (change.Type == ResourceChangeType.Synced)
                    {
                        _wake.Writer.TryWrite(true);
                        continue;
                    }
                    if (change.Resource is not { } resource)
                    {
                        continue;
                    }
                    if (change.Type == ResourceChangeType.Deleted)
                    {
                        phases.Remove(resource.Name);
                        continue;
                    }
                    var phase = PhaseOf(resource);
                    var was = phases.GetValueOrDefault(resource.Name);
                    phases[resource.Name] = phase;
                    if (change.Type == ResourceChangeType.Modified && phase == ReleasePhases.Live && was != ReleasePhases.Live)
                    {
                        _wake.Writer.TryWrite(true);
                    }
                }
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                LogWatchFailed(logger, e.Message);
            }
        }
    }

    private async Task RunPrunesAsync(CancellationToken ct)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (_wake.Reader.TryRead(out _))
                {
                }
                try
                {
                    await PruneAsync(dryRun: false, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is EngineException or StoreException)
                {
                    // Retention is housekeeping: the next go-live (or a `gantry system prune`) tries again.
                    LogPruneFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Every app with its releases; releases of an app that no longer exists are listed under its name with no spec.</summary>
    private async Task<List<AppReleases>> ReadAsync(CancellationToken ct)
    {
        var apps = (await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false)).ToDictionary(a => a.Name, StringComparer.Ordinal);
        var byApp = new Dictionary<string, List<ReleaseEntry>>(StringComparer.Ordinal);
        foreach (var resource in await store.ListAsync(ReleaseBook.Kind, ct).ConfigureAwait(false))
        {
            var release = StoredRelease.From(resource);
            if (!byApp.TryGetValue(release.Record.App, out var list))
            {
                byApp[release.Record.App] = list = [];
            }
            list.Add(new ReleaseEntry(release.Record, release.State));
        }
        var result = new List<AppReleases>();
        foreach (var name in apps.Keys.Union(byApp.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var releases = byApp.GetValueOrDefault(name) ?? [];
            if (apps.TryGetValue(name, out var app) && app.DeletionRequestedAt is null)
            {
                var stored = StoredApp.From(app);
                result.Add(new AppReleases(name, stored.Spec, stored.Status, releases));
            }
            else
            {
                result.Add(new AppReleases(name, null, null, releases));
            }
        }
        return result;
    }

    private static string PhaseOf(StoredResource resource) => resource.StatusJson is null
        ? ReleasePhases.Pending
        : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.ReleaseState)?.Phase ?? ReleasePhases.Pending;

    private static string Outcome(ImageRemoval removal) => removal switch
    {
        ImageRemoval.Removed => PruneOutcomes.Removed,
        ImageRemoval.Missing => PruneOutcomes.Missing,
        _ => PruneOutcomes.InUse,
    };

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Retention pruned {Releases} release(s) and {Images} image(s) ({Bytes} bytes)")]
    private static partial void LogPruned(ILogger logger, int releases, int images, long bytes);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Retention could not prune: {Reason}; it tries again when the next release goes live")]
    private static partial void LogPruneFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Retention's watch of releases failed: {Reason}; watching again")]
    private static partial void LogWatchFailed(ILogger logger, string reason);
}
