using System.Text.Json;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Releases;

namespace Gantry.Cli.Tests.Commands;

public sealed class ReleaseCommandTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 5, 40, 1, TimeSpan.Zero);

    private static readonly ReleaseView Release = new("shop", 4)
    {
        Cause = ReleaseCauses.Rollback,
        RollbackOf = 2,
        Phase = ReleasePhases.Live,
        Current = true,
        CreatedAt = Created,
        CreatedBy = "alice",
        LiveAt = Created.AddSeconds(1),
        Reason = "release 3 answered 500",
        Services = [new ReleaseServiceView("web", "shop/web:v1", "sha256:1111111111111111aaaa", 2, "blue-green")],
        Changes =
        [
            new ReleaseChange("services.web.image", "shop/web:v2@222222222222", "shop/web:v1@111111111111"),
            new ReleaseChange("services.web.environment.DB_PASSWORD", "••••••", "•••••• (changed)"),
            new ReleaseChange("services.web.environment.FEATURE_X", null, "on"),
            new ReleaseChange("services.worker", "shop/worker:v2, 1 replica", null),
        ],
    };

    [Fact]
    public async Task Release_Table_ShowsHeaderServicesAndChanges()
    {
        string? path = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            path = ctx.Request.Path;
            return TestServer.WriteJsonAsync(ctx, Release, ApiJsonContext.Default.ReleaseView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("release", "shop", "4");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("/api/v1/apps/shop/releases/4", path);
        var output = h.Out.ReplaceLineEndings("\n");
        Assert.StartsWith(
            "release 4 of shop (current)\n" +
            "cause:    rollback of 2\n" +
            "phase:    live\n",
            output, StringComparison.Ordinal);
        Assert.Matches(@"\ncreated:  2026-11-22 05:40:01 UTC \(\d+[smhd] ago\) by alice\n", output);
        Assert.Contains(
            "live at:  2026-11-22 05:40:02 UTC\n" +
            "reason:   release 3 answered 500\n" +
            "\n" +
            "SERVICE   IMAGE         IMAGE ID       REPLICAS   STRATEGY\n" +
            "web       shop/web:v1   111111111111   2          blue-green\n" +
            "\n" +
            "changes from the previous release:\n" +
            "  ~ services.web.image: shop/web:v2@222222222222 → shop/web:v1@111111111111\n" +
            "  ~ services.web.environment.DB_PASSWORD: •••••• → •••••• (changed)\n" +
            "  + services.web.environment.FEATURE_X: on\n" +
            "  - services.worker: shop/worker:v2, 1 replica\n",
            output, StringComparison.Ordinal);
        Assert.DoesNotContain("ended at:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_NoChanges_SaysSo()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteJsonAsync(ctx, new ReleaseView("shop", 5) { CreatedAt = Created, CreatedBy = "bob", Changes = [] }, ApiJsonContext.Default.ReleaseView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("release", "shop", "5");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.EndsWith("\nno changes from the previous release\n", h.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_Json_WritesTheApiJsonWithChanges()
    {
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, Release, ApiJsonContext.Default.ReleaseView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("release", "shop", "4", "--output", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.ReleaseView)!;
        Assert.Equal(4, parsed.Number);
        Assert.Equal(Release.Changes, parsed.Changes);
    }

    [Fact]
    public async Task Release_UnknownRelease_ExitsNotFound()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("https://gantry.dev/errors/not-found", "Not found", 404) { Detail = "release 9 of 'shop' does not exist; the newest is 4" }));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("release", "shop", "9");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("release 9 of 'shop' does not exist; the newest is 4", h.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "N 0 is not a release number")]
    [InlineData("-3", "N -3 is not a release number")]
    [InlineData("latest", "latest")]
    public async Task Release_BadNumber_ExitsUsageWithoutCallingServer(string number, string message)
    {
        var called = false;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            called = true;
            return Task.CompletedTask;
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("release", "shop", number);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, h.Error, StringComparison.Ordinal);
        Assert.False(called);
    }

    [Fact]
    public async Task Release_MissingNumber_ExitsUsage()
    {
        using var h = new CliHarness("http://127.0.0.1:9");

        var code = await h.RunAsync("release", "shop");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("run `gantry release --help` for usage", h.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", "b", "~ p: a → b")]
    [InlineData(null, "b", "+ p: b")]
    [InlineData("a", null, "- p: a")]
    public void Line_Change_MarkedByKind(string? before, string? after, string expected)
    {
        Assert.Equal(expected, ReleaseCommand.Line(new ReleaseChange("p", before, after)));
    }
}
