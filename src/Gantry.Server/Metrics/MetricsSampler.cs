using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Controllers.Engine;
using Gantry.Model.Status;
using Gantry.Server.Releases;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Metrics;

/// <summary>
/// Feeds the metrics history every <see cref="Interval"/>: one counter read per running replica from the engine, and the
/// routers' requests per service from <see cref="RequestTally"/>. Which replicas run comes from the apps' status in the
/// store (the controller's view of the containers carrying this installation's labels), followed through the store's
/// watch, so the sampler never lists containers itself. At rest it costs nothing: with no replica running and no request
/// waiting it waits on a signal (no timer, no engine call) until the watch or the tally wakes it (docs/decisions/0008).
/// </summary>
public sealed class MetricsSampler(
    IResourceStore store, IEngineDriver engine, MetricsStore metrics, RequestTally requests, RouterFleet fleet, SamplerPasses passes, TimeProvider time, ILogger<MetricsSampler> logger)
    : BackgroundService
{
    /// <summary>The history's slot: one pass per slot, taken mid-slot so a late pass still lands in its own slot.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a replica found idle at its last read (<see cref="ReplicaMetrics.IsIdle"/>) is read: every sixth pass
    /// instead of every pass, unless its service has requests this pass. Its 10 s series then have a point a minute (a
    /// gap between, not a guess), and its minutes are whole.
    /// </summary>
    public static readonly TimeSpan IdleInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long one counter read may take; a replica the engine does not answer for in time has no point this pass.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads in flight at once. The engine answers a read at its next one-second collection tick whatever else it serves,
    /// so a read takes up to a second of waiting and little CPU: reads side by side keep a pass over many replicas short.
    /// </summary>
    private const int Parallelism = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AppStatus?> _apps = new(StringComparer.Ordinal);
    private readonly Gantry.Controllers.Runtime.Wakeup _wake = new();
    private Dictionary<string, LastRead> _previous = new(StringComparer.Ordinal);

    /// <summary>Each replica on a cluster node, by container: its newest CPU and memory, for the node's sums (idle replicas are not read every pass).</summary>
    private Dictionary<string, NodeMetrics.ReplicaRead> _onNodes = new(StringComparer.Ordinal);
    private bool _engineFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        requests.Arrived += Wake;
        try
        {
            var watch = FollowAppsAsync(stoppingToken);
            await SampleWhileBusyAsync(stoppingToken).ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            requests.Arrived -= Wake;
        }
    }

    /// <summary>One pass at <paramref name="at"/>: every running replica's counters, every service's requests, into the store.</summary>
    private async Task SampleAsync(DateTimeOffset at, CancellationToken ct)
    {
        List<(string App, AppStatus Status)> apps;
        lock (_lock)
        {
            apps = [.. _apps.Where(a => a.Value is not null).Select(a => (a.Key, a.Value!))];
        }
        var windows = requests.Drain();
        var inFlight = fleet.InFlight();
        var replicas = apps.SelectMany(a => a.Status.Services.SelectMany(s => s.Replicas).Where(IsSampled).Select(r => (a.App, Replica: r))).ToList();
        var previous = _previous;
        var due = replicas
            .Where(r => previous.GetValueOrDefault(r.Replica.ContainerId!) is not { Idle: true } last
                || at - last.At >= IdleInterval - Interval / 2
                || windows.ContainsKey((r.App, r.Replica.Service)))
            .Select(r => r.Replica.ContainerId!)
            .ToList();
        var reads = await ReadAllAsync(due, ct).ConfigureAwait(false);

        var samples = new List<MetricSample>();
        _previous = new Dictionary<string, LastRead>(StringComparer.Ordinal);
        var onNodes = _onNodes;
        _onNodes = new Dictionary<string, NodeMetrics.ReplicaRead>(StringComparer.Ordinal);
        foreach (var (app, replica) in replicas)
        {
            var last = previous.GetValueOrDefault(replica.ContainerId!);
            if (reads.GetValueOrDefault(replica.ContainerId!) is { } usage)
            {
                var read = ReplicaMetrics.From(app, replica, usage, last?.Usage).ToList();
                samples.AddRange(read);
                _previous[replica.ContainerId!] = new LastRead(usage, at, last is not null && ReplicaMetrics.IsIdle(usage, last.Usage));
                if (replica.Node is { } node)
                {
                    var cpu = read.Where(r => r.Key.Metric == MetricNames.Cpu).Select(r => (double?)r.Value * ReplicaMetrics.LimitCores(replica.NanoCpus)).FirstOrDefault();
                    _onNodes[replica.ContainerId!] = new(node, cpu ?? onNodes.GetValueOrDefault(replica.ContainerId!).CpuCores, usage.MemoryUsageBytes);
                }
            }
            else
            {
                if (last is not null)
                {
                    // Idle and not due, or the read missed this pass: the next read measures from this older one.
                    _previous[replica.ContainerId!] = last;
                }
                if (onNodes.TryGetValue(replica.ContainerId!, out var known))
                {
                    _onNodes[replica.ContainerId!] = known;
                }
            }
        }
        foreach (var (app, status) in apps)
        {
            foreach (var service in status.Services)
            {
                var routed = service.Replicas.Any(r => r.Traffic is not null);
                var window = windows.GetValueOrDefault((app, service.Name));
                if (routed || window is not null)
                {
                    samples.AddRange(RequestMetrics.From(app, service.Name, window));
                }
                if (routed && inFlight is not null)
                {
                    samples.Add(RequestMetrics.InFlight(app, service.Name, service.Replicas.Select(r => r.Name), inFlight));
                }
            }
        }
        samples.AddRange(NodeMetrics.From(_onNodes.Values));
        // Requests of apps the watch does not know (deleted, or not yet seen) have no service to go to: they are dropped with the drain.
        metrics.Record(samples, at);
        passes.Publish(at);
    }

    /// <summary>A replica the engine runs (by the controller's last observation) and that has a container to read.</summary>
    private static bool IsSampled(ReplicaStatus replica) => replica.State == "running" && replica.ContainerId is not null;

    private bool IsBusy()
    {
        lock (_lock)
        {
            return requests.HasRequests || _apps.Values.Any(s => s is not null && s.Services.Any(v => v.Replicas.Any(IsSampled)));
        }
    }

    private async Task SampleWhileBusyAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!IsBusy())
            {
                // Nothing to read: forget the last reads (a later pass starts afresh) and wait for the watch or a request.
                _previous = new Dictionary<string, LastRead>(StringComparer.Ordinal);
                await _wake.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            await Task.Delay(UntilNextPass(time.GetUtcNow()), time, ct).ConfigureAwait(false);
            try
            {
                await SampleAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Metrics are an observer: a pass that fails (a bug, a full disk under the store) is logged and the next one
                // tries again; it must never stop the host, which is what an exception out of a hosted service does.
                SamplerLog.PassFailed(logger, e);
            }
        }
    }

    /// <summary>The time to the middle of the next 10 s slot.</summary>
    public static TimeSpan UntilNextPass(DateTimeOffset now)
    {
        var interval = (long)Interval.TotalMilliseconds;
        var phase = ((now.ToUnixTimeMilliseconds() - interval / 2) % interval + interval) % interval;
        return TimeSpan.FromMilliseconds(interval - phase);
    }

    private async Task<Dictionary<string, ContainerUsage>> ReadAllAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var reads = new Dictionary<string, ContainerUsage>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return reads;
        }
        var failures = 0;
        EngineException? failure = null;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(ReadTimeout);
                if (await engine.ReadCountersAsync(id, timeout.Token).ConfigureAwait(false) is { } usage)
                {
                    lock (reads)
                    {
                        reads[id] = usage;
                    }
                }
            }
            catch (Exception e) when (e is EngineException || (e is OperationCanceledException && !token.IsCancellationRequested))
            {
                // The replica may have stopped since its status was written, or the engine is slow: no point this pass.
                Interlocked.Increment(ref failures);
                failure = e as EngineException ?? failure;
            }
        }).ConfigureAwait(false);
        // Logged once when reads start failing everywhere and once when they come back, not every pass of an outage.
        var failing = reads.Count == 0 && failures > 0;
        if (failing && !_engineFailing)
        {
            SamplerLog.ReadsFailing(logger, failures, failure?.Message ?? $"no answer within {ReadTimeout.TotalSeconds:0} s");
        }
        else if (!failing && _engineFailing)
        {
            SamplerLog.ReadsBack(logger, reads.Count);
        }
        _engineFailing = failing;
        return reads;
    }

    /// <summary>Keeps <see cref="_apps"/> to the store's apps and their status, and wakes the pass loop on every change.</summary>
    private async Task FollowAppsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var listed = new HashSet<string>(StringComparer.Ordinal);
                await foreach (var change in store.WatchAsync(AppKinds.App, ct).ConfigureAwait(false))
                {
                    lock (_lock)
                    {
                        if (change.Type == ResourceChangeType.Synced)
                        {
                            // Apps deleted while this watch was away (a re-list after a compacted log or a store failure).
                            foreach (var gone in _apps.Keys.Where(a => !listed.Contains(a)).ToList())
                            {
                                _apps.Remove(gone);
                            }
                        }
                        else if (change.Type == ResourceChangeType.Deleted && change.Resource is { } deleted)
                        {
                            _apps.Remove(deleted.Name);
                        }
                        else if (change.Resource is { } resource)
                        {
                            listed.Add(resource.Name);
                            _apps[resource.Name] = StatusOf(resource);
                        }
                    }
                    Wake();
                }
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                SamplerLog.WatchFailed(logger, e.Message);
            }
        }
    }

    /// <summary>Only the status is read (the spec is not needed); one the sampler cannot read counts as none, as before the controller's first write.</summary>
    private static AppStatus? StatusOf(StoredResource resource)
    {
        try
        {
            return resource.StatusJson is null ? null : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.AppStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Wake() => _wake.Set();

    /// <summary>A replica's last counter read, the pass that made it, and whether the replica was idle since the read before.</summary>
    private sealed record LastRead(ContainerUsage Usage, DateTimeOffset At, bool Idle);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
