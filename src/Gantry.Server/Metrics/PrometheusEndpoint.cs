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

    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", ScrapeAsync).WithTags("metrics").WithName("PrometheusMetrics").ExcludeFromDescription();
        return routes;
    }

    private static async Task ScrapeAsync(HttpContext context, MetricsStore metrics, AlertController alerts, IResourceStore store)
    {
        var apps = (await store.ListOtherAppsAsync(null, context.RequestAborted)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        Fill(Prometheus.Metrics.WithCustomRegistry(registry), metrics.Current(StaleAfter).Where(c => apps.Contains(c.Key.App) || c.Key.App == NodeMetrics.App), alerts.List(), apps.Count);
        context.Response.ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();
        await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>Declares every family (so each has its HELP and TYPE even without a point) and sets every point;
    /// separate from the HTTP edge so a test can read the text without a server.</summary>
    public static void Fill(IMetricFactory factory, IEnumerable<(SeriesKey Key, CurrentValue Value)> current, IReadOnlyList<AlertView> alerts, int apps)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var gauges = new Dictionary<ExportedFamily, Gauge>();
        var counters = new Dictionary<ExportedFamily, Counter>();
        foreach (var family in ExportedMetrics.All)
        {
            var labels = family.Labels.ToArray();
            if (family.Kind == ExportedKind.Counter)
            {
                counters[family] = factory.CreateCounter(family.Name, family.Help, labels);
            }
            else
            {
                gauges[family] = factory.CreateGauge(family.Name, family.Help, labels);
            }
        }
        foreach (var point in ExportedMetrics.Points(current, alerts, apps))
        {
            if (point.Family.Kind == ExportedKind.Counter)
            {
                counters[point.Family].WithLabels(point.LabelValues).IncTo(point.Value);
            }
            else
            {
                gauges[point.Family].WithLabels(point.LabelValues).Set(point.Value);
            }
        }
    }
}
