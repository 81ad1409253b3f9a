using System.Globalization;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Observability;

public sealed class PrometheusExporterTests
{
    [Fact]
    public async Task Histogram_HandedToPrometheusNet_KeepsEveryBucketCountAndTheExactSum()
    {
        var metrics = new RouterMetrics();
        var route = metrics.ForRoute("app");
        // 5 000 µs sits on the first bound (le is inclusive); 5 001 is just above it; 12 s is past the last bound.
        long[] observed = [1, 4_999, 5_000, 5_001, 9_999, 10_000, 99_000, 12_000_000];
        foreach (var microseconds in observed)
        {
            route.Begin();
            route.End(200, microseconds, 0, 0);
        }

        var text = await ExposeAsync(metrics);

        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"0.005\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"0.01\"} 6", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"0.05\"} 6", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"0.1\"} 7", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"10\"} 7", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_bucket{route=\"app\",le=\"+Inf\"} 8", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_count{route=\"app\"} 8", text, StringComparison.Ordinal);
        var sum = Value(text, "gantry_router_request_duration_seconds_sum{route=\"app\"}");
        Assert.Equal(observed.Sum() / 1_000_000.0, sum, 9);
        Assert.Contains("gantry_router_requests_total{route=\"app\",code=\"2xx\"} 8", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_requests_in_flight{route=\"app\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Families_DeclaredWithNoTraffic_AndLabelValuesEscaped()
    {
        var metrics = new RouterMetrics();
        metrics.ForRoute("we\"ird\\route");
        metrics.CountTableSwap();

        var text = await ExposeAsync(metrics);

        Assert.Contains("# TYPE gantry_router_destination_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_requests_total{route=\"we\\\"ird\\\\route\",code=\"5xx\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_route_table_swaps_total 1", text, StringComparison.Ordinal);
        Assert.Contains("gantry_router_requests_total{route=\"\",code=\"none\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Buckets_MeanStaysInsideItsBucket_WhenCountAndSumAreReadApart()
    {
        var histogram = new LatencyHistogram();
        histogram.Observe(5_001);
        histogram.Observe(10_000);

        var bucket = histogram.Buckets()[1];

        Assert.Equal(2, bucket.Count);
        Assert.InRange(bucket.MeanSeconds, 0.005 + 1e-7, 0.01);
    }

    private static async Task<string> ExposeAsync(RouterMetrics metrics)
    {
        var snapshot = RouteSnapshotBuilder.Build(Tables.Table(1, [Tables.Route("app", "app", "app.test")], Tables.Cluster("app", "http://127.0.0.1:1")),
            null, metrics, TimeProvider.System);
        using var body = new MemoryStream();
        await PrometheusExporter.WriteAsync(body, metrics, snapshot, TimeProvider.System.GetTimestamp(), CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    private static double Value(string text, string series) =>
        double.Parse(text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], CultureInfo.InvariantCulture);
}
