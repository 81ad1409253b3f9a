using Gantry.Model.Api;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

public sealed class RequestMetricsTests
{
    private static RequestReport Report(string service, int status, long ms) =>
        new() { App = "shop", Service = service, Status = status, TotalMicroseconds = ms * 1000 };

    private static Dictionary<string, double> Values(IEnumerable<MetricSample> samples) => samples.ToDictionary(s => s.Key.Metric, s => s.Value);

    [Fact]
    public void From_OneInterval_CountsByStatusClassAndPercentilesInMilliseconds()
    {
        var tally = new RequestTally();
        // 100 requests of 1..100 ms: 90 answered 200, 4 redirected, 5 refused, 1 failed.
        tally.Add(Enumerable.Range(1, 100).Select(ms => Report("web", ms switch { <= 90 => 200, <= 94 => 302, <= 99 => 404, _ => 503 }, ms)));

        var window = Assert.Single(tally.Drain()).Value;
        var samples = RequestMetrics.From("shop", "web", window).ToList();
        var values = Values(samples);

        Assert.Equal(90, values[MetricNames.Requests2xx]);
        Assert.Equal(4, values[MetricNames.Requests3xx]);
        Assert.Equal(5, values[MetricNames.Requests4xx]);
        Assert.Equal(1, values[MetricNames.Requests5xx]);
        Assert.Equal(50, values[MetricNames.LatencyP50]);
        Assert.Equal(95, values[MetricNames.LatencyP95]);
        Assert.Equal(99, values[MetricNames.LatencyP99]);
        Assert.All(samples, s => Assert.Equal(new SeriesKey("shop", "web", "", s.Key.Metric), s.Key));
        Assert.All(samples.Where(s => s.Key.Metric.StartsWith("requests_", StringComparison.Ordinal)), s => Assert.Equal(MetricKind.Counter, s.Kind));
        Assert.All(samples.Where(s => s.Key.Metric.StartsWith("latency_", StringComparison.Ordinal)), s => Assert.Equal(MetricKind.Gauge, s.Kind));
    }

    [Fact]
    public void From_NoRequests_ZeroCountsAndNoLatency()
    {
        var values = Values(RequestMetrics.From("shop", "web", window: null));

        Assert.Equal([MetricNames.Requests2xx, MetricNames.Requests3xx, MetricNames.Requests4xx, MetricNames.Requests5xx], values.Keys);
        Assert.All(values.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Drain_TwoServicesAndUnroutedRequests_PerServiceAndEmptyAfterwards()
    {
        var tally = new RequestTally();
        var woken = 0;
        tally.Arrived += () => woken++;

        tally.Add([Report("web", 200, 3), Report("api", 500, 7), new RequestReport { Status = 404 }]);
        tally.Add([Report("web", 200, 4)]);
        var drained = tally.Drain();

        Assert.Equal(1, woken);
        Assert.Equal(2, drained[("shop", "web")].Status2xx);
        Assert.Equal(1, drained[("shop", "api")].Status5xx);
        Assert.Equal(2, drained.Count);
        Assert.False(tally.HasRequests);
        Assert.Empty(tally.Drain());
    }

    [Fact]
    public void Add_MoreThanKept_LatenciesBoundedAndCountsExact()
    {
        var window = new RequestWindow();
        var random = new Random(7);

        for (var i = 0; i < RequestWindow.MaxLatencies * 3; i++)
        {
            window.Add(200, i, random);
        }

        Assert.Equal(RequestWindow.MaxLatencies, window.LatenciesMicroseconds.Count);
        Assert.Equal(RequestWindow.MaxLatencies * 3, window.Status2xx);
        // An even sample of 0..3N-1 has its median near 1.5N.
        var median = window.LatenciesMicroseconds.Order().ElementAt(RequestWindow.MaxLatencies / 2);
        Assert.InRange(median, RequestWindow.MaxLatencies * 1.3, RequestWindow.MaxLatencies * 1.7);
    }

    [Fact]
    public void InFlight_SumsTheServicesReplicas()
    {
        var inFlight = new Dictionary<string, int> { ["shop-web-1"] = 2, ["shop-web-2"] = 3, ["shop-api-1"] = 9 };

        var sample = RequestMetrics.InFlight("shop", "web", ["shop-web-1", "shop-web-2", "shop-web-3"], inFlight);

        Assert.Equal(new SeriesKey("shop", "web", "", MetricNames.InFlight), sample.Key);
        Assert.Equal(5, sample.Value);
    }
}
