using Gantry.Router.Routing;
using Prometheus;

namespace Gantry.Router.Observability;

/// <summary>
/// The router's `/metrics`: its metric cells handed to prometheus-net at scrape time (the server's `/metrics` uses the
/// same library the same way), so the text exposition, escaping and content type are the library's, checked with promtool.
/// </summary>
/// <remarks>The hot path keeps its own cells (<see cref="TrafficMetrics"/>, reached by reference, a few interlocked adds per
/// request); a scrape builds a fresh registry from them. That costs a scrape some allocations and costs requests nothing.</remarks>
public static class PrometheusExporter
{
    public static readonly string ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();

    private static readonly string[] StatusClasses = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"];
    private static readonly string[] RouteLabels = ["route"];
    private static readonly string[] RouteCodeLabels = ["route", "code"];
    private static readonly string[] DestinationLabels = ["cluster", "destination"];
    private static readonly string[] DestinationCodeLabels = ["cluster", "destination", "code"];

    /// <param name="now">Current TimeProvider timestamp, to evaluate passive ejections.</param>
    public static async Task WriteAsync(Stream body, RouterMetrics metrics, RouteSnapshot snapshot, long now, CancellationToken cancellationToken)
    {
        var registry = Metrics.NewCustomRegistry();
        Fill(Metrics.WithCustomRegistry(registry), metrics, snapshot, now);
        await registry.CollectAndExportAsTextAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Declares every family and sets every point; apart from the HTTP edge so a test can read the text without a router.</summary>
    public static void Fill(IMetricFactory factory, RouterMetrics metrics, RouteSnapshot snapshot, long now)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(snapshot);
        var routes = metrics.Routes.Select(r => (Route: r.Key, Metrics: r.Value)).Append((Route: "", Metrics: metrics.Unrouted)).ToList();
        var destinations = snapshot.Clusters.Values.SelectMany(c => c.Destinations.Select(d => (Cluster: c, Destination: d))).ToList();

        var requests = factory.CreateCounter("gantry_router_requests_total", "Requests answered per route, by status class (none = no status reached the client).", RouteCodeLabels);
        var duration = Histogram(factory, "gantry_router_request_duration_seconds", "Request latency per route, from headers read to the last response byte.", RouteLabels);
        var inFlight = factory.CreateGauge("gantry_router_requests_in_flight", "Requests currently being served per route.", RouteLabels);
        var received = factory.CreateCounter("gantry_router_received_bytes_total", "Request body bytes received from clients per route.", RouteLabels);
        var sent = factory.CreateCounter("gantry_router_sent_bytes_total", "Response body bytes sent to clients per route.", RouteLabels);
        foreach (var (route, m) in routes)
        {
            for (var c = 0; c < StatusClasses.Length; c++)
            {
                requests.WithLabels(route, StatusClasses[c]).IncTo(m.Requests(c));
            }

            Observe(duration.WithLabels(route), m.Latency);
            inFlight.WithLabels(route).Set(m.InFlight);
            received.WithLabels(route).IncTo(m.BytesIn);
            sent.WithLabels(route).IncTo(m.BytesOut);
        }

        var attempts = factory.CreateCounter("gantry_router_destination_requests_total", "Upstream attempts per destination, by status class (none = transport failure).", DestinationCodeLabels);
        var attemptDuration = Histogram(factory, "gantry_router_destination_request_duration_seconds", "Upstream attempt latency per destination.", DestinationLabels);
        var destinationInFlight = factory.CreateGauge("gantry_router_destination_in_flight", "Requests in flight per destination (the p2c balancer's input).", DestinationLabels);
        var healthy = factory.CreateGauge("gantry_router_destination_healthy", "1 when health checks allow new requests to the destination (weight aside), else 0.", DestinationLabels);
        var destinationSent = factory.CreateCounter("gantry_router_destination_sent_bytes_total", "Request body bytes sent to each destination.", DestinationLabels);
        var destinationReceived = factory.CreateCounter("gantry_router_destination_received_bytes_total", "Response body bytes received from each destination.", DestinationLabels);
        foreach (var (cluster, d) in destinations)
        {
            for (var c = 0; c < StatusClasses.Length; c++)
            {
                attempts.WithLabels(cluster.Id, d.Id, StatusClasses[c]).IncTo(d.Metrics.Requests(c));
            }

            Observe(attemptDuration.WithLabels(cluster.Id, d.Id), d.Metrics.Latency);
            destinationInFlight.WithLabels(cluster.Id, d.Id).Set(d.InFlight);
            healthy.WithLabels(cluster.Id, d.Id).Set(d.IsAvailable(cluster.HasActiveHealth, now) ? 1 : 0);
            destinationSent.WithLabels(cluster.Id, d.Id).IncTo(d.Metrics.BytesIn);
            destinationReceived.WithLabels(cluster.Id, d.Id).IncTo(d.Metrics.BytesOut);
        }

        factory.CreateGauge("gantry_router_route_table_version", "Version of the route table being served.").Set(snapshot.Version);
        factory.CreateCounter("gantry_router_route_table_swaps_total", "Route tables accepted and swapped in.").IncTo(metrics.TableSwaps);
        factory.CreateCounter("gantry_router_route_table_rejected_total",
            "Route tables received with validation errors (served without the offending entries, or refused when no route was valid).").IncTo(metrics.TableRejected);
        factory.CreateGauge("gantry_router_route_table_rejected_entries", "Routes, clusters and destinations left out of the table being served.").Set(snapshot.Rejected.Count);
        factory.CreateCounter("gantry_router_feed_reconnects_total", "Times the route feed connection was (re)established after a failure.").IncTo(metrics.FeedReconnects);
        factory.CreateCounter("gantry_router_access_log_dropped_total", "Access-log records dropped because the writer could not keep up.").IncTo(metrics.AccessLogDropped);
        factory.CreateCounter("gantry_router_front_fallbacks_total",
            "Plain-HTTP connections the front handed to Kestrel's HTTP/1.1 at a request outside the subset it serves itself.").IncTo(metrics.FrontFallbacks);
    }

    private static Histogram Histogram(IMetricFactory factory, string name, string help, string[] labels) =>
        factory.CreateHistogram(name, help, labels, new HistogramConfiguration { Buckets = LatencyHistogram.Bounds });

    /// <summary>Each bucket's requests observed at once at their mean: inside the bucket, so prometheus-net counts them in it,
    /// and count times mean is their sum, so the family's _sum is the requests' own.</summary>
    private static void Observe(Histogram.Child child, LatencyHistogram histogram)
    {
        foreach (var (count, mean) in histogram.Buckets())
        {
            if (count > 0)
            {
                child.Observe(mean, count);
            }
        }
    }
}
