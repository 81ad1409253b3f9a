using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class RoutesCommandTests
{
    private static readonly IReadOnlyList<RouteStatsView> Routes =
    [
        new RouteStatsView("shop-web-0", "external", ["shop.localhost"], 120)
        {
            App = "shop", Service = "web", Destinations = 2, Status2xx = 110, Status5xx = 7, P50Ms = 3.456, P99Ms = 250.2,
        },
        new RouteStatsView("shop-api-0", "internal", ["api.internal"], 0) { PathPrefix = "/v1", App = "shop", Service = "api" },
    ];

    [Fact]
    public async Task Routes_Table_ShowsTargetsTrafficAndLatency()
    {
        string? path = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            path = ctx.Request.Path;
            return TestServer.WriteJsonAsync(ctx, Routes, ApiJsonContext.Default.IReadOnlyListRouteStatsView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("routes");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("/api/v1/routes/stats", path);
        var lines = h.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^ROUTE\s+APP/SERVICE\s+ENTRYPOINT\s+DESTINATIONS\s+REQUESTS\s+5XX\s+P50\s+P99", lines[0]);
        Assert.Matches(@"^shop\.localhost/ →\s+shop/web\s+external\s+2\s+120\s+7\s+3\.46ms\s+250ms", lines[1]);
        Assert.Matches(@"^api\.internal/v1 →\s+shop/api\s+internal\s+0\s+0\s+0\s+-\s+-", lines[2]);
    }

    [Fact]
    public async Task Routes_Json_WritesTheApiJson()
    {
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, Routes, ApiJsonContext.Default.IReadOnlyListRouteStatsView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("routes", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.IReadOnlyListRouteStatsView)!;
        Assert.Equal(["shop-web-0", "shop-api-0"], parsed.Select(r => r.RouteId));
        Assert.Equal(7, parsed[0].Status5xx);
    }
}
