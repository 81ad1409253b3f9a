using System.Text.Json;
using Gantry.Cli.Tests.Api;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Status;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class DeployCommandTests
{
    private const string Compose = "services:\n  web:\n    image: shop/web:${TAG:-latest}\n    ports: [\"8080:80\"]\n";

    private static CliHarness Project(TestServer server)
    {
        var h = new CliHarness(server.Url);
        h.WriteFile("compose.yaml", Compose);
        h.WriteFile("web/index.html", "hi");
        h.WriteFile("bin/junk.dll", "x");
        h.Environment["TAG"] = "abc123";
        h.Environment["UNRELATED_SECRET"] = "never-sent";
        return h;
    }

    [Fact]
    public async Task Deploy_Detach_UploadsRequestAndBundleThenReturns()
    {
        string? json = null;
        byte[]? bundle = null;
        string? method = null;
        string? path = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            (method, path) = (ctx.Request.Method, ctx.Request.Path.Value);
            (json, bundle) = await GantryApiClientTests.ReadDeployAsync(ctx);
            await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 1, true) { EventCursor = 4, Plan = ["start web (1 replica)"] }, ApiJsonContext.Default.DeployResponse, 202);
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop", "--env", "staging", "--profile", "debug", "--detach");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(("PUT", "/api/v1/apps/shop"), (method, path));
        var request = JsonSerializer.Deserialize(json!, ApiJsonContext.Default.DeployRequest)!;
        Assert.Equal(["compose.yaml"], request.Files);
        Assert.Equal(["debug"], request.Profiles);
        Assert.Equal("staging", request.Environment);
        Assert.Equal(new Dictionary<string, string> { ["TAG"] = "abc123" }, request.Variables);
        Assert.False(request.DryRun);
        var contents = BundleContents.Read(bundle!);
        Assert.Equal(Compose, contents["compose.yaml"]);
        Assert.Equal("hi", contents["web/index.html"]);
        Assert.DoesNotContain("bin/junk.dll", contents.Keys);
        Assert.Contains("accepted shop generation 1", h.Out, StringComparison.Ordinal);
        Assert.Contains("  start web (1 replica)", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Check_SendsDryRunAndPrintsPlan()
    {
        DeployRequest? request = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            var (json, _) = await GantryApiClientTests.ReadDeployAsync(ctx);
            request = JsonSerializer.Deserialize(json, ApiJsonContext.Default.DeployRequest);
            await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 0, true) { Plan = ["create web-1", "create network shop_default"] }, ApiJsonContext.Default.DeployResponse, 202);
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop", "--check");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(request!.DryRun);
        Assert.Contains("plan for shop (dry run, nothing changed):\n  create web-1\n  create network shop_default\n", h.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_InvalidCompose_PrintsDiagnosticsOnePerLineAndExitsSeven()
    {
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            await GantryApiClientTests.ReadDeployAsync(ctx);
            await TestServer.WriteProblemAsync(ctx, new ApiProblem("https://gantry.dev/problems/invalid-compose", "The compose files are invalid", 422)
            {
                Detail = "2 errors",
                Errors =
                [
                    new Diagnostic("error", "compose.yaml", 4, 13, "services.web.ports[0]", "'8080:80x' is not a port"),
                    new Diagnostic("error", "compose.yaml", 2, 3, "services.web", "image or build is required"),
                ],
            });
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal(
            "compose.yaml:4:13: services.web.ports[0]: '8080:80x' is not a port\n" +
            "compose.yaml:2:3: services.web: image or build is required\n" +
            "error: The compose files are invalid: 2 errors\n",
            h.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Deploy_Refused409_ExitsSixWithTheServersNumbers()
    {
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            await GantryApiClientTests.ReadDeployAsync(ctx);
            await TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Conflict", 409) { Detail = "memory overcommit: limits need 3 GiB, node has 2 GiB free" });
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.DeployFailed, code);
        Assert.Contains("refused: Conflict: memory overcommit: limits need 3 GiB, node has 2 GiB free", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_ReachesRunning_ShowsStagesWarningsAndSummary()
    {
        var polls = 0;
        string? eventsQuery = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            switch (ctx.Request.Method, ctx.Request.Path.Value)
            {
                case ("PUT", _):
                    await GantryApiClientTests.ReadDeployAsync(ctx);
                    await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 2, true) { EventCursor = 10 }, ApiJsonContext.Default.DeployResponse, 202);
                    break;
                case ("GET", "/api/v1/apps/shop/events"):
                    eventsQuery = ctx.Request.QueryString.Value;
                    await StreamEventsAsync(ctx,
                        Samples.Event(11, EventReasons.ImageReady, replica: null),
                        Samples.Event(12, EventReasons.ReplicaCreated),
                        Samples.Event(13, EventReasons.ReplicaBackoff, "Warning", "restarting in 1s"),
                        Samples.Event(14, EventReasons.ReplicaStarted));
                    break;
                case ("GET", "/api/v1/apps/shop"):
                    // Old generation for a few polls, then converging, then running.
                    var n = Interlocked.Increment(ref polls);
                    var detail = n < 3 ? Samples.App("shop", AppPhase.Running, 2, 1, running: 1, healthy: 1)
                        : n < 6 ? Samples.App("shop", AppPhase.Deploying, 2, 2)
                        : Samples.App("shop", AppPhase.Running, 2, 2, running: 1, healthy: 1);
                    await TestServer.WriteJsonAsync(ctx, detail, ApiJsonContext.Default.AppDetail);
                    break;
                default:
                    ctx.Response.StatusCode = 500;
                    break;
            }
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("?after=10&follow=true", eventsQuery);
        var output = h.Out.ReplaceLineEndings("\n");
        Assert.Contains("warning: shop-web-1-abcdef12: ReplicaBackoff: restarting in 1s\n", output, StringComparison.Ordinal);
        Assert.Contains("web   image ready      created 1/1   started 1/1   healthy 1/1\n", output, StringComparison.Ordinal);
        Assert.Contains("SERVICE   IMAGE             REPLICAS   HEALTHY   PORTS\nweb       shop/web:abc123   1/1        1/1       8080->80/tcp\n", output, StringComparison.Ordinal);
        Assert.Contains("shop is running generation 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_AppFails_ExitsSixWithTheServersMessage()
    {
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            switch (ctx.Request.Method, ctx.Request.Path.Value)
            {
                case ("PUT", _):
                    await GantryApiClientTests.ReadDeployAsync(ctx);
                    await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 3, true) { EventCursor = 20 }, ApiJsonContext.Default.DeployResponse, 202);
                    break;
                case ("GET", "/api/v1/apps/shop/events"):
                    await StreamEventsAsync(ctx, Samples.Event(21, EventReasons.ImageFailed, "Warning", "pull access denied for shop/web", replica: null));
                    break;
                default:
                    await TestServer.WriteJsonAsync(ctx, Samples.App("shop", AppPhase.Failed, 3, 3, message: "image shop/web:abc123 not found"), ApiJsonContext.Default.AppDetail);
                    break;
            }
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.DeployFailed, code);
        Assert.Contains("deploy of 'shop' (generation 3) failed: image shop/web:abc123 not found", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_NeverConverges_TimesOutWithLastStatus()
    {
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            switch (ctx.Request.Method, ctx.Request.Path.Value)
            {
                case ("PUT", _):
                    await GantryApiClientTests.ReadDeployAsync(ctx);
                    await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 2, true), ApiJsonContext.Default.DeployResponse, 202);
                    break;
                case ("GET", "/api/v1/apps/shop/events"):
                    // A server without the stream: the watcher must carry on by polling alone.
                    await TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Not Found", 404));
                    break;
                default:
                    await TestServer.WriteJsonAsync(ctx, Samples.App("shop", AppPhase.Degraded, 2, 2, message: "web-1 is crash-looping"), ApiJsonContext.Default.AppDetail);
                    break;
            }
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop", "--timeout", "300ms");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("timed out", h.Error, StringComparison.Ordinal);
        Assert.Contains("last status: Degraded, observed generation 2: web-1 is crash-looping", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_ThenRunning_PostsCountsAndWaits()
    {
        string? body = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Method == "POST")
            {
                body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
                await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 5, true) { EventCursor = 1 }, ApiJsonContext.Default.DeployResponse, 202);
            }
            else if (ctx.Request.Path.Value!.EndsWith("/events", StringComparison.Ordinal))
            {
                await StreamEventsAsync(ctx);
            }
            else
            {
                await TestServer.WriteJsonAsync(ctx, Samples.App("shop", AppPhase.Running, 5, 5, running: 1, healthy: 1), ApiJsonContext.Default.AppDetail);
            }
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("scale", "shop", "web=3", "worker=0");

        Assert.Equal(ExitCodes.Ok, code);
        var request = JsonSerializer.Deserialize(body!, ApiJsonContext.Default.ScaleRequest)!;
        Assert.Equal(new Dictionary<string, int> { ["web"] = 3, ["worker"] = 0 }, request.Replicas);
        Assert.Contains("shop is running generation 5", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rm_WaitsUntilTheAppIsGone()
    {
        var gets = 0;
        var deleted = false;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Method == "DELETE")
            {
                deleted = true;
                ctx.Response.StatusCode = 202;
                return;
            }
            if (Interlocked.Increment(ref gets) < 3)
            {
                await TestServer.WriteJsonAsync(ctx, Samples.App("shop", AppPhase.Deleting, 2, 2, running: 1), ApiJsonContext.Default.AppDetail);
                return;
            }
            await TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Not Found", 404));
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rm", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(deleted);
        Assert.Equal(3, gets);
        var output = h.Out.ReplaceLineEndings("\n");
        Assert.Contains("shop: removing, 1 replica left\nshop: removed\nremoved shop", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_FileOutsideRoot_ExitsSevenBeforeContactingTheServer()
    {
        var requests = 0;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref requests);
            return Task.CompletedTask;
        });
        using var h = Project(server);
        h.WriteFile("deploy/compose.yaml", Compose);

        var code = await h.RunAsync("deploy", "-f", "deploy/compose.yaml", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("outside the bundle root", h.Error, StringComparison.Ordinal);
        Assert.Equal(0, requests);
    }

    [Fact]
    public async Task Deploy_ComposeFileExcludedByGantryIgnore_ExitsSeven()
    {
        await using var server = await TestServer.StartAsync(_ => Task.CompletedTask);
        using var h = Project(server);
        h.WriteFile(".gantryignore", "*.yaml\n");

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("compose.yaml: the compose file is excluded from the bundle", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OnATerminal_RedrawsServiceLinesInPlace()
    {
        var polls = 0;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Method == "PUT")
            {
                await GantryApiClientTests.ReadDeployAsync(ctx);
                await TestServer.WriteJsonAsync(ctx, new DeployResponse("shop", 2, true), ApiJsonContext.Default.DeployResponse, 202);
            }
            else if (ctx.Request.Path.Value!.EndsWith("/events", StringComparison.Ordinal))
            {
                await StreamEventsAsync(ctx);
            }
            else
            {
                var detail = Interlocked.Increment(ref polls) < 3 ? Samples.App("shop", AppPhase.Deploying, 2, 2) : Samples.App("shop", AppPhase.Running, 2, 2, running: 1, healthy: 1);
                await TestServer.WriteJsonAsync(ctx, detail, ApiJsonContext.Default.AppDetail);
            }
        });
        using var h = Project(server);
        h.Terminal = new global::Gantry.Cli.Output.Terminal(true, true);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\u001b[1A\r\u001b[2Kweb   image ready      created 1/1   started 1/1   healthy 1/1", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_MinimalServerAnswers_ToleratesAbsentLists()
    {
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Method == "PUT")
            {
                await GantryApiClientTests.ReadDeployAsync(ctx);
                ctx.Response.StatusCode = 202;
                await ctx.Response.WriteAsync("""{"app":"shop","generation":1,"changed":true}""");
            }
            else if (ctx.Request.Path.Value!.EndsWith("/events", StringComparison.Ordinal))
            {
                await StreamEventsAsync(ctx);
            }
            else
            {
                await ctx.Response.WriteAsync("""{"name":"shop","environment":"production","phase":"Running","generation":1,"observedGeneration":1,"spec":{"name":"shop"},"status":{"phase":"Running"}}""");
            }
        });
        using var h = Project(server);

        var code = await h.RunAsync("deploy", "-f", "compose.yaml", "--app", "shop");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Contains("shop is running generation 1", h.Out, StringComparison.Ordinal);
    }

    /// <summary>Writes events as NDJSON, then holds the stream open like the real server until the client leaves.</summary>
    private static async Task StreamEventsAsync(HttpContext ctx, params EventView[] events)
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
