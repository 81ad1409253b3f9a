using Gantry.Model;
using Gantry.Model.Alerts;
using Gantry.Model.Api;
using Gantry.Server.Alerts;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Alerts;

/// <summary>Rules of the user's (x-gantry alerts): the newest pass's values against each rule's threshold.</summary>
public class UserAlertRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private static AlertRuleSpec Rule(string metric, bool above, double threshold, string text, TimeSpan? span = null) =>
        new() { Name = $"{metric}-{(above ? "above" : "below")}-{text}", Metric = metric, Above = above, Threshold = threshold, ThresholdText = text, For = span ?? TimeSpan.FromMinutes(5) };

    private static AlertInput Input(IReadOnlyDictionary<string, MetricReading> readings, params AlertRuleSpec[] rules) => new()
    {
        Apps = [(new AppSpec { Name = "shop", Services = [new ServiceSpec { Name = "web", Alerts = rules }] }, null)],
        Readings = new Dictionary<(string, string), IReadOnlyDictionary<string, MetricReading>> { [("shop", "web")] = readings },
    };

    [Fact]
    public void Evaluate_AboveRuleOverItsThreshold_SignalNamingTheWorstReplicaWithTheRulesDuration()
    {
        var readings = new Dictionary<string, MetricReading> { ["memory"] = new(0.91, "shop-web-2", 0.40, "shop-web-1") };

        var signal = Assert.Single(AlertConditions.Evaluate(Input(readings, Rule("memory", true, 0.8, "80%")), new AlertOptions()));

        Assert.Equal(("memory-above-80%/shop/web", "warning", TimeSpan.FromMinutes(5)), (signal.Key, signal.Severity, signal.For));
        Assert.Equal("web: memory 91% on shop-web-2 is above 80% for 5 min or more", signal.Summary);
    }

    [Fact]
    public void Evaluate_BelowRule_ReadsTheLowestValue()
    {
        var readings = new Dictionary<string, MetricReading> { ["rps"] = MetricReading.Of(0.2) };

        var signal = Assert.Single(AlertConditions.Evaluate(Input(readings, Rule("rps", false, 1, "1", TimeSpan.Zero)), new AlertOptions()));

        Assert.Equal("web: rps 0.2 is below 1", signal.Summary);
    }

    [Fact]
    public void Evaluate_WithinTheThresholdOrWithoutData_Nothing()
    {
        var readings = new Dictionary<string, MetricReading> { ["memory"] = new(0.8, "shop-web-1", 0.8, "shop-web-1") };

        Assert.Empty(AlertConditions.Evaluate(Input(readings, Rule("memory", true, 0.8, "80%"), Rule("p95", true, 0.3, "300ms")), new AlertOptions()));
    }

    private static MetricSeriesPoints Series(string replica, string metric, MetricKind kind, params (int SecondsAgo, double Value)[] points) =>
        new(new SeriesKey("shop", "web", replica, metric), kind,
            [.. points.Select(p => new MetricPoint(T0.AddSeconds(-p.SecondsAgo), p.Value, p.Value, p.Value, p.Value, kind == MetricKind.Counter ? p.Value : 0, 1))]);

    [Fact]
    public void Readings_PerReplicaNewestPoints_HighestAndLowestWithTheirReplicas()
    {
        var readings = AlertReadings.From(
        [
            Series("shop-web-1", MetricNames.Cpu, MetricKind.Gauge, (10, 0.99), (0, 0.30)),
            Series("shop-web-2", MetricNames.Cpu, MetricKind.Gauge, (10, 0.10), (0, 0.70)),
        ], routed: false, Step);

        Assert.Equal(new MetricReading(0.70, "shop-web-2", 0.30, "shop-web-1"), readings["cpu"]);
        Assert.False(readings.ContainsKey("rps")); // not routed: no traffic values at all
    }

    [Fact]
    public void Readings_RoutedService_RateErrorShareAndLatencyOfTheNewestSlot()
    {
        var readings = AlertReadings.From(
        [
            Series("", MetricNames.Requests2xx, MetricKind.Counter, (10, 500), (0, 90)),
            Series("", MetricNames.Requests5xx, MetricKind.Counter, (0, 10)),
            Series("", MetricNames.LatencyP99, MetricKind.Gauge, (0, 420)),
        ], routed: true, Step);

        Assert.Equal(10, readings["rps"].Highest, 6);
        Assert.Equal(0.1, readings["error_rate"].Highest, 6);
        Assert.Equal(0.42, readings["p99"].Highest, 6);
        Assert.Equal(0, readings["in_flight"].Highest);
    }

    [Fact]
    public void Readings_RoutedServiceWithoutRequests_RateZeroAndNoLatency()
    {
        var readings = AlertReadings.From([], routed: true, Step);

        Assert.Equal(0, readings["rps"].Highest);
        Assert.False(readings.ContainsKey("error_rate"));
        Assert.False(readings.ContainsKey("p95"));
    }
}
