using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Server.Alerts;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Gantry.Server.Metrics;

/// <summary>
/// `GET /metrics`: what the server samples, in Prometheus' text format, for teams that already run Prometheus. Built
/// per scrape into a fresh prometheus-net registry from <see cref="MetricsStore.Current"/>, so a removed app or replica
/// simply stops appearing (no series lingers), and the format is the library's, not ours. Admins only (no access rule):
/// Prometheus scrapes with the admin token, or a user token of an admin (`authorization: credentials_file:`).
/// </summary>
public static class PrometheusEndpoint
{
    /// <summary>Series not sampled for this long are left out: idle replicas are read once a minute.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(3);

    private static readonly string[] ReplicaLabels = ["app", "service", "replica"];
    private static readonly string[] ServiceLabels = ["app", "service"];

    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", ScrapeAsync).WithTags("metrics").WithName("PrometheusMetrics").ExcludeFromDescription();
        return routes;
    }

    private static async Task ScrapeAsync(HttpContext context, MetricsStore metrics, AlertController alerts, IResourceStore store)
    {
        var apps = (await store.ListOtherAppsAsync(null, context.RequestAborted)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        Fill(Prometheus.Metrics.WithCustomRegistry(registry), metrics.Current(StaleAfter).Where(c => apps.Contains(c.Key.App)), alerts.List(), apps.Count);
        context.Response.ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();
        await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>Declares and sets every metric; separate from the HTTP edge so a test can read the text without a server.</summary>
    public static void Fill(IMetricFactory factory, IEnumerable<(SeriesKey Key, CurrentValue Value)> current, IReadOnlyList<AlertView> alerts, int apps)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var cpu = factory.CreateGauge("gantry_replica_cpu_ratio", "CPU use over the last sampling interval as a fraction of the replica's CPU limit (of one core without a limit).", ReplicaLabels);
        var memoryBytes = factory.CreateGauge("gantry_replica_memory_bytes", "Memory in use without reclaimable page cache, as docker stats shows it.", ReplicaLabels);
        var memory = factory.CreateGauge("gantry_replica_memory_ratio", "Memory in use as a fraction of the replica's memory limit.", ReplicaLabels);
        var restarts = factory.CreateGauge("gantry_replica_restarts", "Restarts of the replica's slot, as gantry ps counts them.", ReplicaLabels);
        var received = factory.CreateCounter("gantry_replica_network_receive_bytes_total", "Bytes the replica received since the server started sampling it.", ReplicaLabels);
        var sent = factory.CreateCounter("gantry_replica_network_transmit_bytes_total", "Bytes the replica sent since the server started sampling it.", ReplicaLabels);
        var requests = factory.CreateCounter("gantry_service_requests_total", "Requests the routers answered for the service, by status class.", ["app", "service", "code"]);
        var latency = factory.CreateGauge("gantry_service_latency_seconds", "Latency through the router over the last sampling interval, by quantile.", ["app", "service", "quantile"]);
        var inFlight = factory.CreateGauge("gantry_service_requests_in_flight", "Requests running on the service's replicas, summed over the routers.", ServiceLabels);
        foreach (var (key, value) in current)
        {
            string[] replica = [key.App, key.Service, key.Replica];
            switch (key.Metric)
            {
                case MetricNames.Cpu: cpu.WithLabels(replica).Set(value.Value); break;
                case MetricNames.MemoryBytes: memoryBytes.WithLabels(replica).Set(value.Value); break;
                case MetricNames.Memory: memory.WithLabels(replica).Set(value.Value); break;
                case MetricNames.Restarts: restarts.WithLabels(replica).Set(value.Value); break;
                case MetricNames.NetworkRxBytes: received.WithLabels(replica).IncTo(value.Value); break;
                case MetricNames.NetworkTxBytes: sent.WithLabels(replica).IncTo(value.Value); break;
                case MetricNames.Requests2xx: requests.WithLabels(key.App, key.Service, "2xx").IncTo(value.Value); break;
                case MetricNames.Requests3xx: requests.WithLabels(key.App, key.Service, "3xx").IncTo(value.Value); break;
                case MetricNames.Requests4xx: requests.WithLabels(key.App, key.Service, "4xx").IncTo(value.Value); break;
                case MetricNames.Requests5xx: requests.WithLabels(key.App, key.Service, "5xx").IncTo(value.Value); break;
                case MetricNames.LatencyP50: latency.WithLabels(key.App, key.Service, "0.5").Set(value.Value / 1000); break;
                case MetricNames.LatencyP95: latency.WithLabels(key.App, key.Service, "0.95").Set(value.Value / 1000); break;
                case MetricNames.LatencyP99: latency.WithLabels(key.App, key.Service, "0.99").Set(value.Value / 1000); break;
                case MetricNames.InFlight: inFlight.WithLabels(key.App, key.Service).Set(value.Value); break;
            }
        }
        var firing = factory.CreateGauge("gantry_alerts_firing", "Alerts firing now, by rule and severity.", ["rule", "severity"]);
        foreach (var group in alerts.Where(a => a.State == "firing").GroupBy(a => (a.Rule, a.Severity)))
        {
            firing.WithLabels(group.Key.Rule, group.Key.Severity).Set(group.Count());
        }
        factory.CreateGauge("gantry_apps", "Apps deployed.").Set(apps);
    }
}
