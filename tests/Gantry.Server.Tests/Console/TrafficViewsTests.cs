using Gantry.Console.Traffic;
using Gantry.Model.Api;

namespace Gantry.Server.Tests.Console;

/// <summary>The console's pure traffic views: a metrics answer on its steps, the Apps page's figures, SVG polylines, a waterfall.</summary>
public sealed class TrafficViewsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static MetricSeriesView Series(string name, string kind, params (int Step, double Value)[] points) =>
        new(name, kind, new Dictionary<string, string> { ["service"] = "web" }, [.. points.Select(p => new MetricPointView(Start.AddSeconds(30 * p.Step), p.Value, p.Value, p.Value))]);

    [Fact]
    public void TrafficSummary_RequestsOverTheWindow_RateErrorShareAndWorstP95()
    {
        var view = new AppMetricsView("shop", Start, 30,
        [
            Series(MetricNames.Requests2xx, MetricNames.Counter, (0, 27), (2, 33)),
            Series(MetricNames.Requests5xx, MetricNames.Counter, (0, 3), (2, 0)),
            Series(MetricNames.LatencyP95, MetricNames.Gauge, (0, 12), (2, 40)),
        ]);

        var summary = TrafficSummary.From(view, Start.AddSeconds(120));

        Assert.Equal([1.0, null, 1.1, null], summary.RequestsPerSecond);
        Assert.Equal(63 / 120.0, summary.RatePerSecond!.Value, 6);
        Assert.Equal(3 / 63.0, summary.ErrorShare!.Value, 6);
        Assert.Equal(40, summary.P95Ms);
    }

    [Fact]
    public void TrafficSummary_NoRequests_NullsNotZeros()
    {
        var summary = TrafficSummary.From(new AppMetricsView("shop", Start, 30, []), Start.AddMinutes(15));

        Assert.Equal(30, summary.RequestsPerSecond.Count);
        Assert.Equal((null, null, null), (summary.RatePerSecond, summary.ErrorShare, summary.P95Ms));
    }

    [Fact]
    public void SvgPlot_Gap_SplitsTheLineAndALonePointIsADash()
    {
        var segments = SvgPlot.Segments([0, 10, null, 5], 30, 10, 10);

        Assert.Equal(["0,10 10,0", "28.5,5 30,5"], segments);
        Assert.Equal([1, 2, 5, 10, 100, 1], new[] { 0.7, 1.5, 3, 10, 51, 0 }.Select(SvgPlot.NiceMax));
    }

    [Fact]
    public void Waterfall_PhasesEndToEnd_TheRestIsOther_PooledConnectionHasNoConnect()
    {
        var request = new RequestView(Start, "GET", "shop.test", "/", 200, "Ok", 10)
        {
            RouteMs = 0.5, WaitMs = 1, ConnectMs = null, UpstreamMs = 6, BodyMs = 2,
        };

        var waterfall = Waterfall.From(request);

        Assert.Equal(["route", "wait", "upstream headers", "body", "other"], waterfall.Phases.Select(p => p.Name));
        Assert.Equal([0, 0.5, 1.5, 7.5, 9.5], waterfall.Phases.Select(p => p.StartMs));
        Assert.Equal(0.5, waterfall.Phases[^1].DurationMs, 6);
        Assert.Equal(10, waterfall.TotalMs);
    }

    [Fact]
    public void MetricCharts_ReleaseInTheWindow_MarkedOnEveryChart()
    {
        var view = new AppMetricsView("shop", Start, 30, [Series(MetricNames.Requests2xx, MetricNames.Counter, (1, 30))]);
        var now = Start.AddSeconds(120);

        var (service, charts) = Assert.Single(MetricCharts.For(new StepSeries(view, now), [(Start.AddSeconds(60), 4L), (Start.AddDays(-1), 3L)], now));

        Assert.Equal("web", service);
        Assert.Equal(["Requests", "Latency", "CPU", "Memory"], charts.Select(c => c.Title));
        Assert.All(charts, c => Assert.Equal(new ChartMarker(0.5, "release 4"), Assert.Single(c.Markers)));
        Assert.Equal(1, charts[0].Lines[0].Values[1]);
        Assert.Equal(1, charts[0].Max);
    }
}
