using System.Globalization;
using System.Text;
using Gantry.Router.Routing;

namespace Gantry.Router.Observability;

/// <summary>Renders the router's metrics in the Prometheus text exposition format (version 0.0.4), checked with promtool.</summary>
public static class PrometheusExporter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] StatusClasses = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <param name="now">Current TimeProvider timestamp, to evaluate passive ejections.</param>
    public static string Render(RouterMetrics metrics, RouteSnapshot snapshot, long now)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(snapshot);
        var sb = new StringBuilder(8 * 1024);
        var routes = metrics.Routes.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var destinations = snapshot.Clusters.Values.OrderBy(c => c.Id, StringComparer.Ordinal)
            .SelectMany(c => c.Destinations.Select(d => (Labels: $"cluster=\"{Escape(c.Id)}\",destination=\"{Escape(d.Id)}\"", State: d)))
            .ToList();
        var routeLabels = routes.Select(r => (Labels: $"route=\"{Escape(r.Key)}\"", Metrics: r.Value))
            .Append((Labels: "route=\"\"", Metrics: metrics.Unrouted)).ToList();

        Header(sb, "gantry_router_requests_total", "counter", "Requests answered per route, by status class (none = no status reached the client).");
        foreach (var (labels, m) in routeLabels)
        {
            for (var c = 0; c < StatusClasses.Length; c++)
            {
                Sample(sb, "gantry_router_requests_total", $"{labels},code=\"{StatusClasses[c]}\"", m.Requests(c));
            }
        }

        Header(sb, "gantry_router_request_duration_seconds", "histogram", "Request latency per route, from headers read to the last response byte.");
        foreach (var (labels, m) in routeLabels)
        {
            Histogram(sb, "gantry_router_request_duration_seconds", labels, m.Latency);
        }

        Header(sb, "gantry_router_requests_in_flight", "gauge", "Requests currently being served per route.");
        foreach (var (labels, m) in routeLabels)
        {
            Sample(sb, "gantry_router_requests_in_flight", labels, m.InFlight);
        }

        Header(sb, "gantry_router_received_bytes_total", "counter", "Request body bytes received from clients per route.");
        foreach (var (labels, m) in routeLabels)
        {
            Sample(sb, "gantry_router_received_bytes_total", labels, m.BytesIn);
        }

        Header(sb, "gantry_router_sent_bytes_total", "counter", "Response body bytes sent to clients per route.");
        foreach (var (labels, m) in routeLabels)
        {
            Sample(sb, "gantry_router_sent_bytes_total", labels, m.BytesOut);
        }

        Header(sb, "gantry_router_destination_requests_total", "counter", "Upstream attempts per destination, by status class (none = transport failure).");
        foreach (var (labels, d) in destinations)
        {
            for (var c = 0; c < StatusClasses.Length; c++)
            {
                Sample(sb, "gantry_router_destination_requests_total", $"{labels},code=\"{StatusClasses[c]}\"", d.Metrics.Requests(c));
            }
        }

        Header(sb, "gantry_router_destination_request_duration_seconds", "histogram", "Upstream attempt latency per destination.");
        foreach (var (labels, d) in destinations)
        {
            Histogram(sb, "gantry_router_destination_request_duration_seconds", labels, d.Metrics.Latency);
        }

        Header(sb, "gantry_router_destination_in_flight", "gauge", "Requests in flight per destination (the p2c balancer's input).");
        foreach (var (labels, d) in destinations)
        {
            Sample(sb, "gantry_router_destination_in_flight", labels, d.InFlight);
        }

        Header(sb, "gantry_router_destination_healthy", "gauge", "1 when health checks allow new requests to the destination (weight aside), else 0.");
        foreach (var (labels, d) in destinations)
        {
            var cluster = snapshot.Clusters[d.ClusterId];
            Sample(sb, "gantry_router_destination_healthy", labels, d.IsAvailable(cluster.HasActiveHealth, now) ? 1 : 0);
        }

        Header(sb, "gantry_router_destination_sent_bytes_total", "counter", "Request body bytes sent to each destination.");
        foreach (var (labels, d) in destinations)
        {
            Sample(sb, "gantry_router_destination_sent_bytes_total", labels, d.Metrics.BytesIn);
        }

        Header(sb, "gantry_router_destination_received_bytes_total", "counter", "Response body bytes received from each destination.");
        foreach (var (labels, d) in destinations)
        {
            Sample(sb, "gantry_router_destination_received_bytes_total", labels, d.Metrics.BytesOut);
        }

        Header(sb, "gantry_router_route_table_version", "gauge", "Version of the route table being served.");
        Sample(sb, "gantry_router_route_table_version", null, snapshot.Version);
        Header(sb, "gantry_router_route_table_swaps_total", "counter", "Route tables accepted and swapped in.");
        Sample(sb, "gantry_router_route_table_swaps_total", null, metrics.TableSwaps);
        Header(sb, "gantry_router_route_table_rejected_total", "counter", "Route tables received with validation errors (served without the offending entries, or refused when no route was valid).");
        Sample(sb, "gantry_router_route_table_rejected_total", null, metrics.TableRejected);
        Header(sb, "gantry_router_route_table_rejected_entries", "gauge", "Routes, clusters and destinations left out of the table being served.");
        Sample(sb, "gantry_router_route_table_rejected_entries", null, snapshot.Rejected.Count);
        Header(sb, "gantry_router_feed_reconnects_total", "counter", "Times the route feed connection was (re)established after a failure.");
        Sample(sb, "gantry_router_feed_reconnects_total", null, metrics.FeedReconnects);
        Header(sb, "gantry_router_access_log_dropped_total", "counter", "Access-log records dropped because the writer could not keep up.");
        Sample(sb, "gantry_router_access_log_dropped_total", null, metrics.AccessLogDropped);
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder sb, string name, string? labels, long value)
    {
        sb.Append(name);
        if (!string.IsNullOrEmpty(labels))
        {
            sb.Append('{').Append(labels).Append('}');
        }

        sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Histogram(StringBuilder sb, string name, string labels, LatencyHistogram histogram)
    {
        var (cumulative, sum) = histogram.Snapshot();
        for (var i = 0; i < LatencyHistogram.Bounds.Length; i++)
        {
            Sample(sb, name + "_bucket", $"{labels},le=\"{LatencyHistogram.Bounds[i].ToString(CultureInfo.InvariantCulture)}\"", cumulative[i]);
        }

        Sample(sb, name + "_bucket", $"{labels},le=\"+Inf\"", cumulative[^1]);
        sb.Append(name).Append("_sum{").Append(labels).Append("} ").Append(sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        Sample(sb, name + "_count", labels, cumulative[^1]);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
