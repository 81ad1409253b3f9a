using System.Globalization;
using Gantry.Model;
using Gantry.Model.Alerts;
using Gantry.Model.Status;

namespace Gantry.Server.Alerts;

/// <summary>What one evaluation reads: every app's desired and observed state, the routers' traffic over the window, the autoscaler's limits and the data directory's disk.</summary>
public sealed record AlertInput
{
    public IReadOnlyList<(AppSpec Spec, AppStatus? Status)> Apps { get; init; } = [];

    /// <summary>Per routed service over the window: requests, 5xx answers and the p95 latency (ms) of the window's slots.</summary>
    public IReadOnlyDictionary<(string App, string Service), ServiceTraffic> Traffic { get; init; } = new Dictionary<(string, string), ServiceTraffic>();

    /// <summary>Autoscaled services the autoscaler could not grow further, with its message.</summary>
    public IReadOnlyDictionary<(string App, string Service), string> AutoscaleLimited { get; init; } = new Dictionary<(string, string), string>();

    /// <summary>The data directory's file system: bytes used and in total; null when it could not be read.</summary>
    public (long Used, long Total)? Disk { get; init; }

    /// <summary>For services with rules of the user's: each watched metric's value now (a metric without data is absent).</summary>
    public IReadOnlyDictionary<(string App, string Service), IReadOnlyDictionary<string, MetricReading>> Readings { get; init; } =
        new Dictionary<(string, string), IReadOnlyDictionary<string, MetricReading>>();

    /// <summary>The time of the evaluation (the certificate rule reads it).</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The certificates the routers serve on their HTTPS entrypoints.</summary>
    public IReadOnlyList<ServedCertificate> Certificates { get; init; } = [];

    /// <summary>The cluster's nodes as its manager sees them; empty on a single engine.</summary>
    public IReadOnlyList<NodeCondition> Nodes { get; init; } = [];
}

/// <summary>A cluster node's state (ready, down, unknown, disconnected) and availability (active, pause, drain), and its
/// address as the manager sees it (what its router's connections to the server come from).</summary>
public sealed record NodeCondition(string Name, string Role, string State, string Availability, string? Message, string? Address = null);

/// <summary>
/// A metric's value now, in the unit rules use (<see cref="Gantry.Model.Alerts.AlertMetrics"/>): for a per-replica metric the
/// highest and lowest replica (an `above` rule reads the highest, a `below` rule the lowest), for a per-service one both
/// the same and no replica.
/// </summary>
public readonly record struct MetricReading(double Highest, string? HighestReplica, double Lowest, string? LowestReplica)
{
    public static MetricReading Of(double value) => new(value, null, value, null);
}

/// <summary>A routed service's traffic over the alert window.</summary>
public readonly record struct ServiceTraffic(long Requests, long ServerErrors, double? P95Milliseconds);

/// <summary>The built-in rules, as a pure function from what is observed to the conditions that hold now.</summary>
public static class AlertConditions
{
    /// <summary>Restarts after which a replica waiting out a backoff counts as crash-looping (one death is not a loop).</summary>
    public const int CrashLoopRestarts = 3;

    public static List<AlertSignal> Evaluate(AlertInput input, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var signals = new List<AlertSignal>();
        foreach (var (spec, status) in input.Apps)
        {
            foreach (var service in status?.Services ?? [])
            {
                Replicas(spec.Name, service, options, signals);
            }
        }
        foreach (var ((app, service), traffic) in input.Traffic)
        {
            if (traffic.Requests >= options.MinRequests && traffic.Requests > 0 && (double)traffic.ServerErrors / traffic.Requests > options.ErrorRate)
            {
                signals.Add(new AlertSignal(AlertRules.ErrorRate, AlertRules.Critical, app, service,
                    $"{service}: {Percent((double)traffic.ServerErrors / traffic.Requests)} of {traffic.Requests} requests answered 5xx in the last " +
                    $"{Minutes(options.TrafficWindow)} (threshold {Percent(options.ErrorRate)})", TimeSpan.Zero));
            }
            if (traffic.P95Milliseconds is { } p95 && p95 > options.P95.TotalMilliseconds && traffic.Requests >= options.MinRequests)
            {
                signals.Add(new AlertSignal(AlertRules.LatencyP95, AlertRules.Warning, app, service,
                    $"{service}: p95 {p95.ToString("0", CultureInfo.InvariantCulture)} ms through the router in the last {Minutes(options.TrafficWindow)} " +
                    $"(threshold {options.P95.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms)", TimeSpan.Zero));
            }
        }
        foreach (var ((app, service), message) in input.AutoscaleLimited)
        {
            signals.Add(new AlertSignal(AlertRules.AutoscalerAtMax, AlertRules.Warning, app, service, $"{service}: {message}", TimeSpan.Zero));
        }
        UserRules(input, signals);
        Certificates(input, options, signals);
        Nodes(input, signals);
        if (input.Disk is { Total: > 0 } disk && (double)disk.Used / disk.Total > options.DiskShare)
        {
            signals.Add(new AlertSignal(AlertRules.Disk, AlertRules.Critical, null, null,
                $"the data directory's disk is {Percent((double)disk.Used / disk.Total)} full ({Gantry.Controllers.Resources.Bytes.Format(disk.Total - disk.Used)} free; " +
                $"threshold {Percent(options.DiskShare)}): `gantry system df` shows what Gantry keeps, `gantry system prune` frees it", TimeSpan.Zero));
        }
        return signals;
    }

    private static void Replicas(string app, ServiceStatus service, AlertOptions options, List<AlertSignal> signals)
    {
        // Crash-looping: the engine restarts it again and again, Gantry gave up, or Gantry is backing off after repeated deaths.
        if (service.Replicas.FirstOrDefault(r => r.CrashLooping || r.GaveUp || (r.State == "backoff" && r.Restarts >= CrashLoopRestarts)) is { } looping)
        {
            var exit = looping.OomKilled ? "OOM-killed" : looping.ExitCode is { } code ? $"exit code {code.ToString(CultureInfo.InvariantCulture)}" : "between restarts";
            var why = looping.Message is { Length: > 0 } m ? $": {(m.StartsWith("crash-looping: ", StringComparison.Ordinal) ? m["crash-looping: ".Length..] : m)}" : "";
            signals.Add(new AlertSignal(AlertRules.CrashLoop, AlertRules.Critical, app, service.Name,
                $"{service.Name}: {looping.Name} {(looping.GaveUp ? "was given up on" : "is crash-looping")} ({exit}, {looping.Restarts} restarts){why}", TimeSpan.Zero));
        }
        if (service.Replicas.FirstOrDefault(r => r.OomKilled) is { } oom)
        {
            var limit = oom.MemoryLimitBytes is { } bytes ? $" at its {Gantry.Controllers.Resources.Bytes.Format(bytes)} limit" : "";
            signals.Add(new AlertSignal(AlertRules.OomKilled, AlertRules.Warning, app, service.Name,
                $"{service.Name}: {oom.Name} was killed for running out of memory{limit}; raise deploy.resources.limits.memory or find the leak", TimeSpan.Zero));
        }
        if (service.Desired > 0 && service.Healthy < service.Desired)
        {
            signals.Add(new AlertSignal(AlertRules.BelowDesired, AlertRules.Warning, app, service.Name,
                $"{service.Name}: {service.Healthy} of {service.Desired} replicas healthy ({service.Running} running) for {Minutes(options.BelowDesiredFor)} or more",
                options.BelowDesiredFor));
        }
    }

    /// <summary>A certificate a router serves that expires within <see cref="AlertOptions.CertificateExpiry"/>, or has expired.</summary>
    private static void Certificates(AlertInput input, AlertOptions options, List<AlertSignal> signals)
    {
        foreach (var served in input.Certificates)
        {
            var certificate = served.Certificate;
            var left = certificate.NotAfter - input.Now;
            if (left > options.CertificateExpiry)
            {
                continue;
            }
            var names = string.Join(", ", certificate.Names);
            var when = certificate.NotAfter.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var routers = served.Routers.Count == 1 ? $"router {served.Routers[0]}" : $"{served.Routers.Count} routers";
            var summary = left <= TimeSpan.Zero
                ? $"the certificate for {names} expired at {when}; clients are refused by {routers}: put a renewed one in the router's --certs folder and restart it"
                : $"the certificate for {names} expires at {when} (in {Days(left)}; served by {routers}): put a renewed one in the router's --certs folder and restart it";
            signals.Add(new AlertSignal(AlertRules.CertificateExpiry, left <= TimeSpan.Zero ? AlertRules.Critical : AlertRules.Warning, null, null, summary, TimeSpan.Zero)
            {
                Subject = certificate.Thumbprint,
            });
        }
    }

    /// <summary>A cluster node the manager no longer hears from (Swarm reschedules its replicas; a drained node is not down).</summary>
    private static void Nodes(AlertInput input, List<AlertSignal> signals)
    {
        foreach (var node in input.Nodes.Where(n => n.State is "down" or "unknown" or "disconnected"))
        {
            var why = string.IsNullOrEmpty(node.Message) ? "" : $" ({node.Message})";
            signals.Add(new AlertSignal(AlertRules.NodeDown, AlertRules.Critical, null, null,
                $"node {node.Name} ({node.Role}) is {node.State}{why}: the cluster reschedules its replicas on the other nodes; `gantry nodes` shows where", TimeSpan.Zero)
            {
                Subject = node.Name,
            });
        }
    }

    /// <summary>The user's rules (x-gantry `alerts`): a rule holds while its metric's value now is past the threshold.</summary>
    private static void UserRules(AlertInput input, List<AlertSignal> signals)
    {
        foreach (var (spec, _) in input.Apps)
        {
            foreach (var service in spec.Services.Where(s => s.Alerts is { Count: > 0 }))
            {
                if (!input.Readings.TryGetValue((spec.Name, service.Name), out var readings))
                {
                    continue;
                }
                foreach (var rule in service.Alerts!)
                {
                    if (!readings.TryGetValue(rule.Metric, out var reading) || AlertMetrics.Find(rule.Metric) is not { } metric)
                    {
                        continue; // no data is not a breach: a stopped service says so through its built-in rules
                    }
                    var (value, replica) = rule.Above ? (reading.Highest, reading.HighestReplica) : (reading.Lowest, reading.LowestReplica);
                    if (rule.Above ? value > rule.Threshold : value < rule.Threshold)
                    {
                        var on = replica is null ? "" : $" on {replica}";
                        var held = rule.For > TimeSpan.Zero ? $" for {Minutes(rule.For)} or more" : "";
                        signals.Add(new AlertSignal(rule.Name, rule.Severity, spec.Name, service.Name,
                            $"{service.Name}: {rule.Metric} {Format(value, metric.Kind)}{on} is {(rule.Above ? "above" : "below")} {rule.ThresholdText}{held}", rule.For));
                    }
                }
            }
        }
    }

    private static string Format(double value, AlertValueKind kind) => kind switch
    {
        AlertValueKind.Share => Percent(value),
        AlertValueKind.Bytes => Gantry.Controllers.Resources.Bytes.Format((long)value),
        AlertValueKind.Duration => (value * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Days(TimeSpan span) => span >= TimeSpan.FromDays(2)
        ? ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " days"
        : span.TotalHours.ToString("0", CultureInfo.InvariantCulture) + " hours";

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1
        ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
}
