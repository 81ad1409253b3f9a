using System.Text;
using System.Text.Json;
using Gantry.Cli.Api;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Api;

public sealed class GantryApiClientTests
{
    [Fact]
    public async Task Apps_ServerSays401_ExitsUnauthorizedWithLoginHint()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Unauthorized", 401) { Detail = "invalid token" }));
        using var h = new CliHarness(server.Url, token: "wrong");

        var code = await h.RunAsync("apps");

        Assert.Equal(ExitCodes.Unauthorized, code);
        Assert.Contains("rejected the token", h.Error, StringComparison.Ordinal);
        Assert.Contains("gantry login", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apps_NoTokenConfigured_ExitsUnauthorizedSayingSo()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Unauthorized", 401)));
        using var h = new CliHarness(server.Url, token: null);

        var code = await h.RunAsync("apps");

        Assert.Equal(ExitCodes.Unauthorized, code);
        Assert.Contains("none is configured", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apps_ConnectionRefused_ExitsUnreachableWithOneClearLine()
    {
        var port = TestServer.UnusedPort();
        using var h = new CliHarness($"http://127.0.0.1:{port}");

        var code = await h.RunAsync("apps");

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Equal($"error: cannot reach the Gantry server at http://127.0.0.1:{port}: connection refused; is it running? try ./run.sh\n", h.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Apps_Table_ListsAppsWithBearerToken()
    {
        string? authorization = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            authorization = ctx.Request.Headers.Authorization;
            IReadOnlyList<AppSummary> apps = [new AppSummary("shop", "production", Model.Status.AppPhase.Running) { Services = 2, ReplicasDesired = 3, ReplicasRunning = 3 }];
            return TestServer.WriteJsonAsync(ctx, apps, ApiJsonContext.Default.IReadOnlyListAppSummary);
        });
        using var h = new CliHarness(server.Url, token: "abc");

        var code = await h.RunAsync("apps");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("Bearer abc", authorization);
        Assert.Contains("NAME   ENVIRONMENT   PHASE", h.Out, StringComparison.Ordinal);
        Assert.Contains("shop   production    Running", h.Out, StringComparison.Ordinal);
        Assert.Contains("3/3", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_JsonOutput_PrintsTheApisJson()
    {
        await using var server = await TestServer.StartAsync(ctx =>
        {
            IReadOnlyList<ReplicaView> replicas = [new ReplicaView(new Model.Status.ReplicaStatus("shop-web-1-abcdef12", "web", 1) { State = "running" }) { CpuPercent = 1.5 }];
            return TestServer.WriteJsonAsync(ctx, replicas, ApiJsonContext.Default.IReadOnlyListReplicaView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("ps", "shop", "--output", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.IReadOnlyListReplicaView);
        Assert.Equal("shop-web-1-abcdef12", Assert.Single(parsed!).Replica.Name);
        Assert.Contains("\"cpuPercent\": 1.5", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_UnknownApp_ExitsNotFound()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Not Found", 404) { Detail = "app 'nope' does not exist" }));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("ps", "nope");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("app 'nope' does not exist", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowEvents_LinesSplitAcrossWrites_YieldsEveryEvent()
    {
        string? query = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            query = ctx.Request.QueryString.Value;
            ctx.Response.ContentType = "application/x-ndjson";
            var lines = string.Join("\n", new[] { Samples.Event(11, "ReplicaCreated"), Samples.Event(12, "ReplicaStarted"), Samples.Event(13, "ReplicaHealthy") }
                .Select(e => JsonSerializer.Serialize(e, ApiJsonContext.Default.EventView))) + "\n\n";
            // Dribble the stream out in odd-sized pieces so lines arrive split across reads.
            var bytes = Encoding.UTF8.GetBytes(lines);
            for (var i = 0; i < bytes.Length; i += 37)
            {
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(37, bytes.Length - i)));
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(2);
            }
        });
        using var client = new GantryApiClient(new ApiConnection(server.Address, "t"));

        var events = new List<EventView>();
        await foreach (var e in client.FollowEventsAsync("shop", 10, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal("?after=10&follow=true", query);
        Assert.Equal([11L, 12L, 13L], events.Select(e => e.Id));
        Assert.Equal(["ReplicaCreated", "ReplicaStarted", "ReplicaHealthy"], events.Select(e => e.Reason));
    }

    [Fact]
    public async Task Logs_FollowStream_PrefixesEachLineWithItsReplica()
    {
        string? query = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            query = ctx.Request.QueryString.Value;
            ctx.Response.ContentType = "application/x-ndjson";
            foreach (var (replica, text) in new[] { ("shop-web-1", "GET / 200"), ("shop-web-2", "GET /a 404"), ("shop-web-1", "GET /b 200") })
            {
                var json = JsonSerializer.Serialize(new LogLine(DateTimeOffset.UnixEpoch, "web", replica, "stdout", text), ApiJsonContext.Default.LogLine);
                await ctx.Response.WriteAsync(json[..10]);
                await ctx.Response.Body.FlushAsync();
                await ctx.Response.WriteAsync(json[10..] + "\n");
                await ctx.Response.Body.FlushAsync();
            }
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("logs", "shop", "web", "-f", "--tail", "5");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("?service=web&follow=true&tail=5", query);
        Assert.Equal("shop-web-1 | GET / 200\nshop-web-2 | GET /a 404\nshop-web-1 | GET /b 200\n", h.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Events_ManyPages_PrintsTheLastNAsATable()
    {
        var queries = new List<string>();
        await using var server = await TestServer.StartAsync(ctx =>
        {
            lock (queries)
            {
                queries.Add(ctx.Request.QueryString.Value!);
            }
            // Seven events, served three at a time from `after`, like the real paging.
            var after = long.Parse(ctx.Request.Query["after"]!, System.Globalization.CultureInfo.InvariantCulture);
            IReadOnlyList<EventView> page = Enumerable.Range(1, 7).Where(i => i > after).Take(3)
                .Select(i => Samples.Event(i, i == 7 ? "ReplicaExited" : "ReplicaStarted", i == 7 ? "Warning" : "Normal", $"event {i}")).ToList();
            return TestServer.WriteJsonAsync(ctx, page, ApiJsonContext.Default.IReadOnlyListEventView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("events", "shop", "--limit", "2");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["?after=0&limit=5000", "?after=3&limit=5000", "?after=6&limit=5000", "?after=7&limit=5000"], queries);
        var lines = h.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ID   AGE", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("6 ", lines[1], StringComparison.Ordinal);
        Assert.Contains("Warning   ReplicaExited    shop-web-1-abcdef12   event 7", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ValidToken_SavesConfigWithMode0600()
    {
        string? authorization = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            authorization = ctx.Request.Headers.Authorization;
            return TestServer.WriteJsonAsync(ctx, (IReadOnlyList<AppSummary>)[], ApiJsonContext.Default.IReadOnlyListAppSummary);
        });
        using var h = new CliHarness(token: null);
        File.WriteAllText(Path.Combine(h.WorkingDirectory, "token.txt"), "from-file\n");

        var code = await h.RunAsync("login", "--server", server.Url, "--token-file", "token.txt");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("Bearer from-file", authorization);
        var path = Path.Combine(h.Environment["XDG_CONFIG_HOME"], "gantry", "config.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(new global::Gantry.Cli.Config.CliConfig(server.Url, "from-file"), global::Gantry.Cli.Config.ConfigFile.Load(path));

        // Later verbs use the saved server and token with no flags or environment.
        var again = await h.RunAsync("apps");
        Assert.Equal(ExitCodes.Ok, again);
    }

    [Fact]
    public async Task Login_RejectedToken_ExitsUnauthorizedAndSavesNothing()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("about:blank", "Unauthorized", 401)));
        using var h = new CliHarness(token: null);

        var code = await h.RunAsync("login", "--server", server.Url, "--token", "bad");

        Assert.Equal(ExitCodes.Unauthorized, code);
        Assert.False(File.Exists(Path.Combine(h.Environment["XDG_CONFIG_HOME"], "gantry", "config.json")));
    }

    [Fact]
    public async Task Run_UnknownVerbOrBadScale_ExitsUsage()
    {
        using var h = new CliHarness("http://127.0.0.1:1");

        Assert.Equal(ExitCodes.Usage, await h.RunAsync("frobnicate"));
        Assert.Equal(ExitCodes.Usage, await h.RunAsync("scale", "shop", "web=lots"));
        Assert.Contains("'web=lots' is not SERVICE=COUNT", h.Error, StringComparison.Ordinal);
    }

    internal static async Task<(string Json, byte[] Bundle)> ReadDeployAsync(HttpContext ctx)
    {
        var form = await ctx.Request.ReadFormAsync();
        using var bundle = new MemoryStream();
        await form.Files["bundle"]!.CopyToAsync(bundle);
        return (form["request"].ToString(), bundle.ToArray());
    }
}
