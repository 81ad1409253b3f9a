using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Status;
using Gantry.Server.Autoscaling;
using Gantry.Server.Metrics;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Alerts;

/// <summary>
/// Evaluates the built-in alert rules (<see cref="AlertConditions"/>) when something they read may have changed: an app's
/// state in the store (the app catalog), a sampler pass (traffic), or the time a pending condition or a repeat falls due. At rest
/// it waits on those signals and writes nothing. Firing alerts are kept in the store (kind <see cref="Kind"/>) so a
/// restarted server neither forgets them nor notifies them twice; each firing and resolution is an event on its app and a
/// notice to the webhooks.
/// </summary>
public sealed partial class AlertController(
    IResourceStore store, Apps.AppCatalog catalog, MetricsStore metrics, SamplerPasses passes, AutoscaleBook autoscale, AlertOptions options, WebhookNotifier notifier,
    RouterCertificates certificates, Cluster.NodeWatch nodes, Hosting.DataDirectory data, TimeProvider time, ILogger<AlertController> logger) : BackgroundService
{
    public const string Kind = "Alert";

    /// <summary>Signals closer together than this are one evaluation (a deploy changes status many times in a second).</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly AlertBook _book = new(options);
    private readonly Lock _lock = new();
    private readonly Gantry.Controllers.Runtime.Wakeup _wake = new();

    /// <summary>Firing alerts, then recent resolved ones (newest first).</summary>
    public IReadOnlyList<AlertView> List()
    {
        lock (_lock)
        {
            return [.. _book.Firing, .. _book.Resolved];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        passes.Recorded += OnPass;
        try
        {
            catalog.Changed += Wake;
            certificates.Changed += Wake;
            nodes.Changed += Wake;
            await RestoreAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset? due;
                lock (_lock)
                {
                    due = _book.NextDue();
                }
                if (NextCertificateChange(certificates.Current(), time.GetUtcNow(), options.CertificateExpiry) is { } crossing && (due is null || crossing < due))
                {
                    due = crossing;
                }
                var wait = due is { } at ? at - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
                if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.Zero)
                {
                    wait = TimeSpan.Zero;
                }
                else if (wait > LongestWait)
                {
                    wait = LongestWait; // a certificate a year from its warning: a timer cannot wait that long, and the clock may move
                }
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                await Task.Delay(Coalesce, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    await EvaluateAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogEvaluationFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            passes.Recorded -= OnPass;
            catalog.Changed -= Wake;
            certificates.Changed -= Wake;
            nodes.Changed -= Wake;
        }
    }

    /// <summary>One evaluation now: observe, step the book, then persist, record and notify what changed.</summary>
    public async Task EvaluateAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var apps = await catalog.AppsAsync(ct).ConfigureAwait(false);
        var input = new AlertInput
        {
            Apps = [.. apps.Select(a => (a.Spec, a.Status))],
            Traffic = Traffic(apps, now),
            AutoscaleLimited = autoscale.Limited(),
            Disk = Disk(data.Root),
            Readings = Readings(apps, now),
            Now = now,
            Certificates = certificates.Current(),
            Nodes = nodes.Nodes,
        };
        var signals = AlertConditions.Evaluate(input, options);
        List<AlertTransition> transitions;
        lock (_lock)
        {
            transitions = _book.Step(signals, now);
        }
        foreach (var transition in transitions)
        {
            await RecordAsync(transition, ct).ConfigureAwait(false);
            notifier.Enqueue(transition);
        }
    }

    private async Task RecordAsync(AlertTransition transition, CancellationToken ct)
    {
        var alert = transition.Alert;
        var batch = new StoreBatch();
        if (transition.Kind == AlertTransitionKind.Resolved)
        {
            batch.Delete(Kind, transition.Key);
        }
        else
        {
            batch.UpsertSpec(Kind, transition.Key, JsonSerializer.Serialize(alert, AlertJsonContext.Default.AlertView), null);
        }
        if (alert.App is { } app && transition.Kind != AlertTransitionKind.Repeat)
        {
            batch.AppendEvent(transition.Kind == AlertTransitionKind.Resolved
                ? new NewEvent(AppKinds.App, app, EventTypes.Normal, EventReasons.AlertResolved, $"{alert.Rule} resolved: {alert.Summary}", app, alert.Service)
                : new NewEvent(AppKinds.App, app, EventTypes.Warning, EventReasons.AlertFiring,
                    $"{alert.Rule}: {alert.Summary}", app, alert.Service));
        }
        try
        {
            await store.CommitAsync(batch, ct).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            // The notice still goes out; the store catches up at the next transition (or a restart re-notifies once).
            LogRecordFailed(logger, alert.Rule, e.Message);
        }
    }

    private Dictionary<(string App, string Service), ServiceTraffic> Traffic(IReadOnlyList<StoredApp> apps, DateTimeOffset now)
    {
        var traffic = new Dictionary<(string, string), ServiceTraffic>();
        foreach (var app in apps)
        {
            foreach (var service in app.Spec.Services.Where(s => s.Routing is { Routes.Count: > 0 }))
            {
                long requests = 0, errors = 0;
                var p95 = new List<double>();
                foreach (var series in metrics.Query(app.Name, service.Name, now - options.TrafficWindow, MetricsSampler.Interval).Where(s => s.Key.Replica.Length == 0))
                {
                    var sum = (long)series.Points.Sum(p => p.Sum);
                    switch (series.Key.Metric)
                    {
                        case MetricNames.Requests2xx or MetricNames.Requests3xx or MetricNames.Requests4xx:
                            requests += sum;
                            break;
                        case MetricNames.Requests5xx:
                            requests += sum;
                            errors += sum;
                            break;
                        case MetricNames.LatencyP95:
                            p95.AddRange(series.Points.Select(p => p.Avg));
                            break;
                    }
                }
                if (requests > 0)
                {
                    traffic[(app.Name, service.Name)] = new ServiceTraffic(requests, errors, p95.Count > 0 ? p95.Average() : null);
                }
            }
        }
        return traffic;
    }

    /// <summary>Each watched metric's value at the newest sampler pass, for the services that have rules of the user's.</summary>
    private Dictionary<(string App, string Service), IReadOnlyDictionary<string, MetricReading>> Readings(IReadOnlyList<StoredApp> apps, DateTimeOffset now)
    {
        var readings = new Dictionary<(string, string), IReadOnlyDictionary<string, MetricReading>>();
        foreach (var app in apps)
        {
            foreach (var service in app.Spec.Services.Where(s => s.Alerts is { Count: > 0 }))
            {
                var series = metrics.Query(app.Name, service.Name, now - 2 * MetricsSampler.Interval, MetricsSampler.Interval);
                readings[(app.Name, service.Name)] = AlertReadings.From(series, service.Routing is { Routes.Count: > 0 }, MetricsSampler.Interval);
            }
        }
        return readings;
    }

    /// <summary>The next moment a served certificate enters its warning period or expires: the rule's verdict changes then
    /// with nothing else happening, so the loop must wake for it.</summary>
    public static DateTimeOffset? NextCertificateChange(IEnumerable<ServedCertificate> served, DateTimeOffset now, TimeSpan warning) => served
        .SelectMany(c => new[] { c.Certificate.NotAfter - warning, c.Certificate.NotAfter })
        .Where(t => t > now)
        .Select(t => (DateTimeOffset?)t)
        .Min();

    private static (long Used, long Total)? Disk(string path)
    {
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(path));
            return (drive.TotalSize - drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private async Task RestoreAsync(CancellationToken ct)
    {
        foreach (var resource in await store.ListAsync(Kind, ct).ConfigureAwait(false))
        {
            try
            {
                if (JsonSerializer.Deserialize(resource.SpecJson, AlertJsonContext.Default.AlertView) is { } firing)
                {
                    lock (_lock)
                    {
                        _book.Restore(resource.Name, firing);
                    }
                }
            }
            catch (JsonException)
            {
                // Unreadable: evaluated afresh (fires again if it still holds).
            }
        }
        Wake();
    }

    private void OnPass(DateTimeOffset at) => Wake();

    private void Wake() => _wake.Set();

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "alert evaluation failed; the next signal tries again")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Rule}: could not record it in the store: {Error}")]
    private static partial void LogRecordFailed(ILogger logger, string rule, string error);
}
