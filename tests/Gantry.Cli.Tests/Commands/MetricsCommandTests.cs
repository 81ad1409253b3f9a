using System.Text.Json;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class MetricsCommandTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static MetricPointView Point(int step, double value, double? min = null, double? max = null) =>
        new(Since.AddSeconds(step * 20), value, min ?? value, max ?? value);

    /// <summary>Ten minutes in 20 s steps: CPU climbing on one replica, 2xx requests per step on the service.</summary>
    private static readonly AppMetricsView View = new("shop", Since, 20,
    [
        new MetricSeriesView(MetricNames.Requests2xx, MetricNames.Counter, new Dictionary<string, string> { ["service"] = "web" },
            [Point(0, 20, 10, 10), Point(1, 40, 20, 20), Point(2, 60, 20, 40)]),
        new MetricSeriesView(MetricNames.Cpu, MetricNames.Gauge, new Dictionary<string, string> { ["service"] = "web", ["replica"] = "shop-web-1" },
            [.. Enumerable.Range(0, 8).Select(i => Point(i, i / 10.0))]),
        new MetricSeriesView(MetricNames.MemoryBytes, MetricNames.Gauge, new Dictionary<string, string> { ["service"] = "web", ["replica"] = "shop-web-1" },
            [Point(0, 8 << 20), Point(2, 8 << 20)]),
    ]);

    [Fact]
    public async Task Metrics_Service_AsksForTheWindowAndDrawsSparklines()
    {
        string? url = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            url = ctx.Request.Path + ctx.Request.QueryString;
            return TestServer.WriteJsonAsync(ctx, View, ApiJsonContext.Default.AppMetricsView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("metrics", "shop", "web", "--since", "10m");

        Assert.Equal(ExitCodes.Ok, code);
        // 10 minutes in at most 30 points: 20 s steps.
        Assert.Equal("/api/v1/apps/shop/metrics?since=600s&step=20s&service=web", url);
        var lines = h.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("web: last 10m in steps of 20s", lines[0]);
        Assert.Matches(@"^REPLICA\s+METRIC\s+NOW\s+MIN\s+AVG\s+MAX\s+TREND$", lines[1]);
        // Replica rows first (cpu before memory), then the service's; a counter as a rate per second.
        // Rows end where the last point is drawn (the table trims trailing spaces).
        Assert.Matches(@"^shop-web-1\s+cpu\s+70\.0%\s+0\.0%\s+35\.0%\s+70\.0%\s+▁▂▃▄▅▆▇█$", lines[2]);
        Assert.Matches(@"^shop-web-1\s+memory_bytes\s+8 MiB\s+8 MiB\s+8 MiB\s+8 MiB\s+▄ ▄$", lines[3]);
        // A counter's rates: 20, 40, 60 requests per 20 s step; its 10 s slots ranged from 10 to 40.
        Assert.Matches(@"^-\s+requests_2xx\s+3/s\s+1/s\s+2/s\s+4/s\s+▁▅█$", lines[4]);
    }

    [Fact]
    public async Task Metrics_Json_WritesTheApiJsonForTheDefaultHour()
    {
        string? url = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            url = ctx.Request.Path + ctx.Request.QueryString;
            return TestServer.WriteJsonAsync(ctx, View, ApiJsonContext.Default.AppMetricsView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("metrics", "shop", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("/api/v1/apps/shop/metrics?since=3600s&step=120s", url);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.AppMetricsView)!;
        Assert.Equal([MetricNames.Requests2xx, MetricNames.Cpu, MetricNames.MemoryBytes], parsed.Series.Select(s => s.Name));
    }

    [Fact]
    public async Task Metrics_NoSeries_SaysSo()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteJsonAsync(ctx, new AppMetricsView("shop", Since, 120, []), ApiJsonContext.Default.AppMetricsView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("metrics", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("no metrics for 'shop' in the last 1h", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_SinceBeyondTheHistory_UsageError()
    {
        using var h = new CliHarness("http://127.0.0.1:1");

        var code = await h.RunAsync("metrics", "shop", "--since", "30d");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--since '30d'", h.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MetricNames.Cpu, 0.123, false, "12.3%")]
    [InlineData(MetricNames.NetworkRxBytes, 2048, true, "2 KiB/s")]
    [InlineData(MetricNames.LatencyP99, 12.34, false, "12.3ms")]
    [InlineData(MetricNames.Restarts, 3, false, "3")]
    [InlineData(MetricNames.InFlight, 1.5, false, "1.5")]
    public void Format_UnitPerMetric(string metric, double value, bool counter, string expected) =>
        Assert.Equal(expected, MetricsCommand.Format(metric, value, counter));
}
