using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Status;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class RollbackCommandTests
{
    /// <summary>A server that accepts the rollback, streams <paramref name="events"/>, and answers app polls with <paramref name="poll"/> (by poll count).</summary>
    private static Task<TestServer> ServerAsync(RollbackResponse response, Func<int, AppDetail> poll, Action<string, string>? seen = null, params EventView[] events)
    {
        var polls = 0;
        return TestServer.StartAsync(async ctx =>
        {
            switch (ctx.Request.Method, ctx.Request.Path.Value)
            {
                case ("POST", "/api/v1/apps/shop/rollback"):
                    seen?.Invoke("rollback", await new StreamReader(ctx.Request.Body).ReadToEndAsync());
                    await TestServer.WriteJsonAsync(ctx, response, ApiJsonContext.Default.RollbackResponse, 202);
                    break;
                case ("GET", "/api/v1/apps/shop/events"):
                    seen?.Invoke("events", ctx.Request.QueryString.Value ?? "");
                    await StreamEventsAsync(ctx, events);
                    break;
                case ("GET", "/api/v1/apps/shop"):
                    await TestServer.WriteJsonAsync(ctx, poll(Interlocked.Increment(ref polls)), ApiJsonContext.Default.AppDetail);
                    break;
                default:
                    ctx.Response.StatusCode = 500;
                    break;
            }
        });
    }

    [Fact]
    public async Task Rollback_Warm_PostsTargetFollowsEventsAndWaitsUntilConverged()
    {
        var seen = new Dictionary<string, string>();
        var polls = 0;
        await using var server = await ServerAsync(
            new RollbackResponse("shop", 4, 2, true, 7) { EventCursor = 30 },
            n =>
            {
                polls = n;
                return n < 3 ? Samples.App("shop", AppPhase.Deploying, 7, 6, running: 1) : Samples.App("shop", AppPhase.Running, 7, 7, running: 1, healthy: 1);
            },
            (what, value) => { lock (seen) { seen[what] = value; } },
            Samples.Event(31, EventReasons.ReplicaHealthy));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--to", "2");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Equal(2, JsonSerializer.Deserialize(seen["rollback"], ApiJsonContext.Default.RollbackRequest)!.To);
        Assert.Equal("?after=30&follow=true", seen["events"]);
        Assert.True(polls >= 3, $"polled {polls} times");
        var output = h.Out.ReplaceLineEndings("\n");
        Assert.StartsWith("rolling back shop to release 2 (new release 4)\nold replicas are warm: swapping traffic back\n", output, StringComparison.Ordinal);
        Assert.Contains("SERVICE   IMAGE             REPLICAS   HEALTHY   PORTS\nweb       shop/web:abc123   1/1        1/1       8080->80/tcp\n", output, StringComparison.Ordinal);
        Assert.Matches(@"\nshop is back on release 2 as release 4 \(\d+\.\d\ds\)\n$", output);
    }

    [Fact]
    public async Task Rollback_NoTarget_SendsEmptyRequestAndSaysWhenItMustStartReplicas()
    {
        string? body = null;
        await using var server = await ServerAsync(
            new RollbackResponse("shop", 6, 5, false, 9) { Message = "release 5's replicas were stopped 20m ago" },
            _ => Samples.App("shop", AppPhase.Running, 9, 9, running: 1, healthy: 1),
            (what, value) => body = what == "rollback" ? value : body);
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("{}", body);
        Assert.StartsWith(
            "rolling back shop to release 5 (new release 6)\nrelease 5's replicas are no longer running: starting them again\nrelease 5's replicas were stopped 20m ago\n",
            h.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_DryRun_AsksForThePreviewAndPostsNothing()
    {
        var posted = false;
        string? query = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Method == "POST")
            {
                posted = true;
            }
            query = ctx.Request.Path + ctx.Request.QueryString;
            await TestServer.WriteJsonAsync(ctx, new RollbackPreview("shop", 5, 3, false), ApiJsonContext.Default.RollbackPreview);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--to", "3", "--dry-run");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.False(posted);
        Assert.Equal("/api/v1/apps/shop/rollback?to=3", query);
        Assert.Equal(
            "would roll back shop from release 5 to release 3 (as a new release; dry run, nothing changed)\nrelease 3's replicas are no longer running: they would be started again\n",
            h.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Rollback_NoWait_ReturnsOnceAcceptedWithoutPolling()
    {
        var polled = false;
        await using var server = await ServerAsync(
            new RollbackResponse("shop", 4, 2, true, 7),
            _ =>
            {
                polled = true;
                return Samples.App("shop", AppPhase.Running, 7, 7);
            });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--no-wait");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.False(polled);
        Assert.Contains("not waiting (--no-wait); watch with `gantry releases shop`", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_ReleaseFails_ExitsSixNamingTheRelease()
    {
        await using var server = await ServerAsync(
            new RollbackResponse("shop", 4, 2, false, 7),
            _ => Samples.App("shop", AppPhase.Failed, 7, 7, message: "image shop/web:v1 no longer exists"));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop");

        Assert.Equal(ExitCodes.DeployFailed, code);
        Assert.Contains("error: rollback of 'shop' to release 2 (release 4) failed: image shop/web:v1 no longer exists", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_NeverConverges_TimesOutLikeDeploy()
    {
        await using var server = await ServerAsync(
            new RollbackResponse("shop", 4, 2, false, 7),
            _ => Samples.App("shop", AppPhase.Deploying, 7, 6, message: "starting web"));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--timeout", "300ms");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("timed out after 0s waiting for 'shop' to run generation 7; last status: Deploying, observed generation 6: starting web", h.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(409, "Conflict", "nothing to roll back to: 'shop' has only one release", ExitCodes.DeployFailed)]
    [InlineData(404, "Not found", "release 9 of 'shop' does not exist", ExitCodes.NotFound)]
    [InlineData(422, "Invalid rollback", "release 3 is the current release", ExitCodes.InvalidInput)]
    public async Task Rollback_ServerRefuses_MapsProblemToExitCode(int status, string title, string detail, int exitCode)
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", title, status) { Detail = detail }));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--to", "3");

        Assert.Equal(exitCode, code);
        Assert.Contains(detail, h.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("rolling back", h.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--to", "0", "--to 0 is not a release number")]
    [InlineData("--to", "two", "two")]
    [InlineData("--timeout", "soon", "--timeout 'soon' is not a duration")]
    public async Task Rollback_BadArguments_ExitUsageWithoutCallingServer(string option, string value, string message)
    {
        var called = false;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            called = true;
            return Task.CompletedTask;
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, h.Error, StringComparison.Ordinal);
        Assert.False(called);
    }

    /// <summary>Writes events as NDJSON, then holds the stream open like the real server until the client leaves.</summary>
    private static async Task StreamEventsAsync(HttpContext ctx, EventView[] events)
    {
        ctx.Response.ContentType = "application/x-ndjson";
        foreach (var e in events)
        {
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(e, ApiJsonContext.Default.EventView) + "\n");
            await ctx.Response.Body.FlushAsync();
        }
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client hung up: the normal end of a follow.
        }
    }
}
