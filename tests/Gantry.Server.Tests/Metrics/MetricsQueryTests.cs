using Gantry.Model.Api;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

/// <summary>The metrics endpoint's checks and answer shape (the server tests have no in-process HTTP host; the integration test calls the endpoint).</summary>
public sealed class MetricsQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 34, 56, TimeSpan.Zero);

    [Fact]
    public void Parse_Nothing_LastHourInThirtySecondSteps()
    {
        var (query, error) = MetricsQuery.Parse(null, null);

        Assert.Null(error);
        Assert.Equal(new MetricsQuery(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)), query);
    }

    [Theory]
    [InlineData("10m", "10s")]
    [InlineData("6h", "5m")]
    [InlineData("2d", "30m")]
    [InlineData("3600", "30s")]
    [InlineData("1h30m", "1m")]
    public void Parse_SinceOnly_FinestStepWithinDefaultPoints(string since, string step)
    {
        var (query, _) = MetricsQuery.Parse(since, null);

        Assert.Equal(MetricsQuery.ParseDuration(step), query!.Step);
    }

    [Theory]
    [InlineData("1h", "15s", "multiple of 10s")]
    [InlineData("1h", "90s", "multiple of 10s")]
    [InlineData("2d", "10s", "kept for 24h")]
    [InlineData("1d", "10s", "step=2m or more")]
    [InlineData("15d", null, "from 10s to 14d")]
    [InlineData("5s", null, "from 10s to 14d")]
    [InlineData("soon", null, "since=soon")]
    [InlineData("1h", "0s", "step=0s")]
    [InlineData("1h", "-10s", "step=-10s")]
    public void Parse_OutOfRange_ErrorNamesValueAndFix(string since, string? step, string expected)
    {
        var (query, error) = MetricsQuery.Parse(since, step);

        Assert.Null(query);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_AlignedToTheStep()
    {
        var query = new MetricsQuery(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 11, 30, 0, TimeSpan.Zero), query.Start(Now));
    }

    [Fact]
    public void ToView_GaugeAverageCounterSumAndLabels()
    {
        var query = new MetricsQuery(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        var start = query.Start(Now);
        var at = start.AddMinutes(1);
        MetricSeriesPoints[] series =
        [
            new(new SeriesKey("shop", "web", "shop-web-1", MetricNames.Cpu), MetricKind.Gauge, [new MetricPoint(at, 0.1, 0.5, 0.3, 0.2, 1.8, 6)]),
            new(new SeriesKey("shop", "web", "", MetricNames.Requests2xx), MetricKind.Counter, [new MetricPoint(at, 2, 10, 5, 4, 30, 6)]),
        ];

        var view = query.ToView("shop", start, series);

        Assert.Equal(60, view.StepSeconds);
        Assert.Equal(start, view.Since);
        var cpu = view.Series[0];
        Assert.Equal((MetricNames.Cpu, MetricNames.Gauge), (cpu.Name, cpu.Kind));
        Assert.Equal(new Dictionary<string, string> { ["service"] = "web", ["replica"] = "shop-web-1" }, cpu.Labels);
        Assert.Equal(new MetricPointView(at, 0.3, 0.1, 0.5), Assert.Single(cpu.Points));
        var requests = view.Series[1];
        Assert.Equal(MetricNames.Counter, requests.Kind);
        Assert.Equal(new Dictionary<string, string> { ["service"] = "web" }, requests.Labels);
        Assert.Equal(30, Assert.Single(requests.Points).Value);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("600", 600)]
    public void ParseDuration_Forms(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), MetricsQuery.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("1x")]
    [InlineData("1.5h")]
    [InlineData("-5m")]
    public void ParseDuration_Malformed_Null(string text) =>
        Assert.Null(MetricsQuery.ParseDuration(text));
}
