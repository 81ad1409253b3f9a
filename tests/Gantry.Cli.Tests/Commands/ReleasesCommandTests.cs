using System.Text.Json;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Releases;

namespace Gantry.Cli.Tests.Commands;

public sealed class ReleasesCommandTests
{
    private static IReadOnlyList<ReleaseView> History()
    {
        var now = DateTimeOffset.UtcNow;
        return
        [
            new ReleaseView("shop", 3)
            {
                Cause = ReleaseCauses.AutoRollback, RollbackOf = 1, Phase = ReleasePhases.Live, Current = true, CreatedAt = now.AddMinutes(-3), CreatedBy = "gantry",
                Message = "5xx rate 12.0% vs 0.1% on release 1 over 2m: rolled back automatically; the new image answers 500 on /checkout for every request",
                Services = [new ReleaseServiceView("web", "shop/web:v1", "sha256:1111111111111111aaaa", 2, "blue-green"), new ReleaseServiceView("worker", "shop/worker:v1", null, 1, "rolling")],
            },
            new ReleaseView("shop", 2)
            {
                Cause = ReleaseCauses.Deploy, Phase = ReleasePhases.RolledBack, CreatedAt = now.AddHours(-2), CreatedBy = "alice",
                Reason = "error rate regression",
                Services = [new ReleaseServiceView("web", "shop/web:v2", "sha256:2222222222222222bbbb", 2, "blue-green")],
            },
            new ReleaseView("shop", 1) { Phase = ReleasePhases.Superseded, CreatedAt = now.AddDays(-3), CreatedBy = "alice" },
        ];
    }

    [Fact]
    public async Task Releases_Table_MarksCurrentAndShowsCauseImagesAndMessage()
    {
        string? path = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            path = ctx.Request.Method + " " + ctx.Request.Path;
            return TestServer.WriteJsonAsync(ctx, History(), ApiJsonContext.Default.IReadOnlyListReleaseView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("GET /api/v1/apps/shop/releases", path);
        var lines = h.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^NUMBER\s+CAUSE\s+PHASE\s+CREATED\s+BY\s+IMAGES\s+MESSAGE$", lines[0]);
        Assert.Matches(@"^\* 3\s+auto-rollback of 1\s+live\s+3m ago\s+gantry\s+web=shop/web:v1@111111111111, worker=shop/worker:v1\s+5xx rate 12\.0% vs 0\.1% on release 1 over 2m: rolled back au…$", lines[1]);
        Assert.Matches(@"^  2\s+deploy\s+rolled-back\s+2h ago\s+alice\s+web=shop/web:v2@222222222222\s+error rate regression$", lines[2]);
        Assert.Matches(@"^  1\s+deploy\s+superseded\s+3d ago\s+alice$", lines[3]);
    }

    [Fact]
    public async Task Releases_WithAPushedRelease_ShowsTheCommitColumn()
    {
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<ReleaseView> history =
        [
            new ReleaseView("shop", 2)
            {
                Cause = ReleaseCauses.GitPush, Phase = ReleasePhases.Live, Current = true, CreatedAt = now.AddMinutes(-1), CreatedBy = "tess",
                Commit = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c", Branch = "main", Author = "Tess <tess@example.com>",
                Services = [new ReleaseServiceView("web", "shop/web:3f2a1b4c5d6e", "sha256:3333333333333333cccc", 1, "rolling")],
            },
            new ReleaseView("shop", 1) { Phase = ReleasePhases.Superseded, CreatedAt = now.AddDays(-3), CreatedBy = "alice" },
        ];
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, history, ApiJsonContext.Default.IReadOnlyListReleaseView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        var lines = h.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NUMBER\s+CAUSE\s+PHASE\s+CREATED\s+BY\s+COMMIT\s+IMAGES\s+MESSAGE$", lines[0]);
        Assert.Matches(@"^\* 2\s+git-push\s+live\s+1m ago\s+tess\s+3f2a1b4c5d6e main\s+web=shop/web:3f2a1b4c5d6e@333333333333$", lines[1]);
        Assert.Matches(@"^  1\s+deploy\s+superseded\s+3d ago\s+alice\s+-$", lines[2]);
    }

    [Fact]
    public async Task Releases_Json_WritesTheApiJson()
    {
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, History(), ApiJsonContext.Default.IReadOnlyListReleaseView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "shop", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.IReadOnlyListReleaseView)!;
        Assert.Equal([3L, 2L, 1L], parsed.Select(r => r.Number));
        Assert.True(parsed[0].Current);
        Assert.Equal(1L, parsed[0].RollbackOf);
    }

    [Fact]
    public async Task Releases_None_SaysHowReleasesAreMade()
    {
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, (IReadOnlyList<ReleaseView>)[], ApiJsonContext.Default.IReadOnlyListReleaseView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("'shop' has no releases yet (every deploy makes one)\n", h.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Releases_UnknownApp_ExitsNotFoundWithTheServersDetail()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("https://gantry.dev/errors/not-found", "Not found", 404) { Detail = "app 'nope' does not exist" }));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "nope");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("error: Not found: app 'nope' does not exist", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releases_InvalidAppName_ExitsUsageWithoutCallingServer()
    {
        var called = false;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            called = true;
            return Task.CompletedTask;
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("releases", "Shop!");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("app name 'Shop!' is invalid", h.Error, StringComparison.Ordinal);
        Assert.False(called);
    }

    [Fact]
    public async Task Releases_MissingApp_ExitsUsage()
    {
        using var h = new CliHarness("http://127.0.0.1:9");

        var code = await h.RunAsync("releases");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("run `gantry releases --help` for usage", h.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("short", "short")]
    [InlineData("one\r\ntwo", "one two")]
    [InlineData("abcdefghijklmnop", "abcdefghi…")]
    public void Truncate_Text_OneLineWithinWidth(string? text, string expected)
    {
        Assert.Equal(expected, ReleasesCommand.Truncate(text, 10));
    }
}
