using Gantry.Controllers.Apps;
using Gantry.Controllers.Autoscaling;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model.Api;
using Gantry.Server.Apps;
using Gantry.Server.Metrics;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Autoscaling;

/// <summary>
/// Runs the autoscaler (<see cref="Autoscaler.Decide"/>, pure) for every autoscaled service after each sampler pass:
/// it reads the last minute of the service's history (the need from its last two passes), the room the resource guard leaves, and what the previous
/// decision remembered, and when the count should change it scales through <see cref="DeployService.AutoscaleAsync"/>,
/// the same guarded write as `gantry scale` (so replicas leave through the router's drain). At rest it costs what the
/// sampler does: no pass, no decision; a decision that holds the count writes nothing.
/// </summary>
public sealed class AutoscaleController(
    IResourceStore store, AppCatalog catalog, IEngineDriver engine, MetricsStore metrics, SamplerPasses passes, DeployService deploys, AutoscaleBook book,
    ServerOptions options, TimeProvider time, ILogger<AutoscaleController> logger) : BackgroundService
{
    private readonly Gantry.Controllers.Runtime.Wakeup _wake = new();
    // One decision at a time: the pass loop and a router's wake must not both change the same count from the same reading.
    private readonly SemaphoreSlim _deciding = new(1, 1);
    private NodeCapacity? _node;
    // When a schedule next raises a floor: a round is due then even if no sampler pass comes (a service at zero runs nothing).
    // Written by rounds, read by the catalog's watch: a nullable struct is not read atomically, hence the lock.
    private readonly Lock _floorLock = new();
    private DateTimeOffset? _nextFloor;

    private DateTimeOffset? NextFloor
    {
        get { lock (_floorLock) { return _nextFloor; } }
        set { lock (_floorLock) { _nextFloor = value; } }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        passes.Recorded += OnPass;
        catalog.Changed += OnCatalogChanged;
        try
        {
            // The first round learns the schedules; after it, rounds follow passes, app changes and floor starts.
            OnPass(time.GetUtcNow());
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitForRoundAsync(stoppingToken).ConfigureAwait(false);
                await _deciding.WaitAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await DecideAllAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed round (the store or the engine away) is logged; the next pass tries again. It must never stop the host.
                    AutoscaleLog.RoundFailed(logger, e);
                }
                finally
                {
                    _deciding.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            passes.Recorded -= OnPass;
            catalog.Changed -= OnCatalogChanged;
        }
    }

    /// <summary>Waits for a pass or an app change, or until the next schedule floor starts (checked at least hourly, so a
    /// clock change cannot strand it); with no schedule anywhere it waits for a signal only.</summary>
    private async Task WaitForRoundAsync(CancellationToken ct)
    {
        if (NextFloor is not { } floor)
        {
            await _wake.WaitAsync(ct).ConfigureAwait(false);
            return;
        }
        // A second past the start: the floor holds from its occurrence inclusive, and timers may fire a little early.
        var due = floor - time.GetUtcNow() + TimeSpan.FromSeconds(1);
        var wait = due <= TimeSpan.Zero ? TimeSpan.Zero : due < MaxScheduleWait ? due : MaxScheduleWait;
        await _wake.WaitAsync(wait, ct).ConfigureAwait(false);
    }

    private static readonly TimeSpan MaxScheduleWait = TimeSpan.FromHours(1);

    /// <summary>
    /// An app changed (most often only its status): a round is needed only when the next floor start moved (a schedule was
    /// added, changed or removed), so that the wait above is for the right moment; anything else waits for its pass.
    /// </summary>
    private void OnCatalogChanged()
    {
        var now = time.GetUtcNow();
        if (NextFloorStart(catalog.Current, now) != NextFloor)
        {
            OnPass(now);
        }
    }

    private static DateTimeOffset? NextFloorStart(IEnumerable<StoredApp> apps, DateTimeOffset now) => apps
        .SelectMany(a => a.Spec.Services)
        .Where(s => s.Autoscale is { Schedule.Count: > 0 })
        .Select(s => Autoscaler.NextFloorStart(s.Autoscale!, now, TimeZoneInfo.Local))
        .Min();

    private void OnPass(DateTimeOffset at) => _wake.Set();

    /// <summary>
    /// A router holds a request for <paramref name="service"/>, which runs no replica: decide at once (a request arrived at
    /// zero, so the decision wakes it to max(1, floor)) instead of at the next sampler pass, which may never come while
    /// nothing runs. Returns false when there is nothing to wake (no such autoscaled service).
    /// </summary>
    public async Task<bool> WakeAsync(string app, string service, CancellationToken ct)
    {
        await _deciding.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
            if (stored is not { IsBeingDeleted: false } || stored.Spec.FindService(service) is not { Autoscale: { } policy } spec)
            {
                return false;
            }
            if (spec.Replicas > 0)
            {
                return true; // already woken (another router asked first), or never asleep
            }
            var now = time.GetUtcNow();
            _node ??= await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
            var others = await store.ListOtherAppsAsync(null, ct).ConfigureAwait(false);
            var input = new AutoscaleInput
            {
                Spec = policy,
                Current = 0,
                Traffic = [new TrafficSample(now, 1, null)],
                Now = now,
                Zone = TimeZoneInfo.Local,
                History = book.HistoryOf(app, service),
                Capacity = new PlacementCapacity(ResourceGuard.RoomFor(stored.Spec, service, others.Select(a => a.Spec), _node, options.Controller.Defaults), "memory"),
            };
            await ApplyAsync(app, service, input, Autoscaler.Decide(input), now, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _deciding.Release();
        }
    }

    private async Task DecideAllAsync(DateTimeOffset now, CancellationToken ct)
    {
        var apps = await catalog.AppsAsync(ct).ConfigureAwait(false);
        var autoscaled = apps.SelectMany(a => a.Spec.Services.Where(s => s.Autoscale is not null).Select(s => (App: a, Service: s))).ToList();
        book.Retain(autoscaled.Select(x => (x.App.Name, x.Service.Name)).ToHashSet());
        NextFloor = NextFloorStart(apps, now);
        if (autoscaled.Count == 0)
        {
            return;
        }
        _node ??= await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
        var specs = apps.Select(a => a.Spec).ToList();
        foreach (var (app, service) in autoscaled)
        {
            var (usage, traffic) = AutoscaleSamples.From(metrics.Query(app.Name, service.Name, now - AutoscaleSamples.Window, MetricsSampler.Interval), MetricsSampler.Interval);
            var input = new AutoscaleInput
            {
                Spec = service.Autoscale!,
                Current = service.Replicas,
                Usage = usage,
                Traffic = traffic,
                Now = now,
                Zone = TimeZoneInfo.Local,
                History = book.HistoryOf(app.Name, service.Name),
                Capacity = new PlacementCapacity(ResourceGuard.RoomFor(app.Spec, service.Name, specs, _node, options.Controller.Defaults), "memory"),
            };
            var decision = Autoscaler.Decide(input);
            await ApplyAsync(app.Name, service.Name, input, decision, now, ct).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(string app, string service, AutoscaleInput input, AutoscaleDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        var next = decision.History;
        if (decision.Desired != input.Current)
        {
            var outcome = await deploys.AutoscaleAsync(app, service, decision.Desired, decision.Message, ct).ConfigureAwait(false);
            if (outcome.Kind == ChangeOutcomeKind.Accepted)
            {
                AutoscaleLog.Scaled(logger, app, service, decision.Message);
            }
            else
            {
                // Not applied (the app is being removed, or the guard refused after another app's deploy): the change did
                // not happen, so the history does not say it did; the next pass decides again.
                var why = outcome.Reason ?? string.Join("; ", outcome.Errors.Select(e => e.Message));
                decision = decision with { Desired = input.Current, Message = $"{decision.Message}; not applied: {why}" };
                next = input.History;
                AutoscaleLog.NotApplied(logger, app, service, why);
            }
        }
        if (book.Record(app, service, now, input.Current, decision, next))
        {
            await store.AppendEventAsync(new NewEvent(AppKinds.App, app, EventTypes.Warning, EventReasons.AutoscaleLimited,
                $"autoscaler on {service}: {decision.Message}", app, service), ct).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _deciding.Dispose();
        base.Dispose();
    }
}
