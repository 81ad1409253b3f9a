using System.Text.Json.Nodes;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Environments;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class PipelinesCommandTests
{
    [Fact]
    public void Write_OneColumnPerEnvironmentInPipelineOrder_WaitingGateAndFailedBuildSaid()
    {
        var at = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var runs = new[]
        {
            new PipelineRun("cccccccccccccccccccccccccccccccccccccccc") { Branch = "main", Author = "Tess Tester <t@example.com>", At = at, Build = 9, BuildState = "failed", Message = "test stage failed: service 'web': its test exited 1" },
            new PipelineRun("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
            {
                Branch = "main", Author = "Tess Tester <t@example.com>", At = at, Build = 8, BuildState = "succeeded",
                Stages = [new PipelineStage("staging", "shop-staging", 8, "live", at, "tess")], Next = "production", NextMode = PromotionGate.Approval,
            },
            new PipelineRun("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            {
                Branch = "main", At = at, Stages = [new PipelineStage("staging", "shop-staging", 7, "superseded", at, "tess"), new PipelineStage("production", "shop", 6, "live", at, "tess")],
            },
        };
        var output = new StringWriter();

        PipelinesCommand.Write(output, "shop", runs, at.AddMinutes(3));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^COMMIT\s+BRANCH\s+AUTHOR\s+BUILD\s+STAGING\s+PRODUCTION\s+AGE$", lines[0]);
        Assert.Matches(@"^cccccccccccc\s+main\s+Tess Tester\s+#9 failed\s+-\s+-\s+3m ago$", lines[1]);
        Assert.Matches(@"^bbbbbbbbbbbb\s+main\s+Tess Tester\s+#8 succeeded\s+r8 live\s+awaiting approval\s+3m ago$", lines[2]);
        Assert.Matches(@"^aaaaaaaaaaaa\s+main\s+-\s+-\s+r7 superseded\s+r6 live\s+3m ago$", lines[3]);
        Assert.Equal("build #9 (cccccccccccc): test stage failed: service 'web': its test exited 1", lines[4]);
        Assert.Equal("approve bbbbbbbbbbbb for production: gantry promote shop --from staging --to production", lines[5]);
    }

    [Fact]
    public async Task Gate_ModeSentToTheEnvironment_OffRemovesIt()
    {
        var calls = new List<(string Method, string Path, string Body)>();
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            calls.Add((ctx.Request.Method, ctx.Request.Path.Value!, body));
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(ctx.Request.Method == "PUT"
                ? """{"app":"shop","name":"staging","instance":"shop-staging","gate":{"to":"production","mode":"auto"}}"""
                : """{"app":"shop","name":"staging","instance":"shop-staging"}""");
        });
        using var h = new CliHarness(server.Url);

        Assert.Equal(ExitCodes.Ok, await h.RunAsync("pipelines", "gate", "shop", "--mode", "auto"));
        Assert.Equal(ExitCodes.Ok, await h.RunAsync("pipelines", "gate", "shop", "--mode", "off"));
        var bad = await h.RunAsync("pipelines", "gate", "shop", "--mode", "sometimes");

        Assert.Equal(("PUT", "/api/v1/apps/shop/environments/staging/gate"), (calls[0].Method, calls[0].Path));
        Assert.Equal(("production", "auto"), ((string?)JsonNode.Parse(calls[0].Body)!["to"], (string?)JsonNode.Parse(calls[0].Body)!["mode"]));
        Assert.Equal(("DELETE", "/api/v1/apps/shop/environments/staging/gate"), (calls[1].Method, calls[1].Path));
        Assert.Contains("staging of shop: each release that goes live is promoted to production automatically", h.Out);
        Assert.Contains("staging of shop: no gate", h.Out);
        Assert.NotEqual(ExitCodes.Ok, bad);
        Assert.Equal(2, calls.Count);
    }
}
