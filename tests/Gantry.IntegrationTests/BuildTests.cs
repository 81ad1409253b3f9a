using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 13's builds through the real server, stock git and a real dockerd (docs/decisions/0025): a push's build is numbered,
/// its log kept across a restart; it runs under the server's memory and time limits and fails with a message naming them; it
/// can be cancelled, which stops the engine's build and deploys nothing; a second push's build queues with its position.
/// </summary>
public sealed class BuildTests(BuildTests.Fixture fixture) : IClassFixture<BuildTests.Fixture>
{
    /// <summary>One server with small limits, one build at a time, deploying pushes to production.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public GantryServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await GantryServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["GANTRY_PUSH_ENVIRONMENT"] = "production",
            ["GANTRY_BUILD_MEMORY"] = "48M",
            ["GANTRY_BUILD_TIMEOUT"] = "20s",
            ["GANTRY_BUILD_CONCURRENCY"] = "1",
        });

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private const string Compose = """
        services:
          web:
            build: .
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            deploy:
              resources:
                limits:
                  memory: 16M
        """;

    private GantryServerProcess Server => fixture.Server;

    private string Remote(string app) => $"http://x:{Uri.EscapeDataString(Server.Token)}@127.0.0.1:{Server.Port}/git/{app}.git";

    private HttpClient Admin()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.Token);
        return http;
    }

    [Fact]
    public async Task Push_MakesANumberedBuildWhoseLogIsKeptAcrossARestart()
    {
        var app = TestProject.UniqueApp("bld");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /index.html\n"), ("index.html", "v1\n"));
        var commit = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();

        var push = await tree.RunAsync("push", Remote(app), "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: build 1 of {app} at {commit[..12]} (main), pushed by admin", push.Error);
        Assert.Matches(@"remote: web: Step 1/\d+ : FROM gantry/busybox:1", push.Error);
        Assert.Matches(@"remote: gantry: build 1 succeeded in [\d.]+s: web \w{12}", push.Error);
        Assert.Contains($"remote: gantry: {app} runs release 1", push.Error);

        var cli = new CliRunner(Server);
        var builds = await cli.RunAsync(tree.Directory, "builds", app);
        Assert.True(builds.ExitCode == 0, builds.ToString());
        Assert.Matches($@"(?m)^1\s+{commit[..12]}\s+main\s+succeeded\s+[\d.]+s\s+.*admin\s+{app}$", builds.Output);

        // Kept on disk: after a crash and a restart the log reads the same, and the record says what the build made.
        await Server.KillAsync();
        await Server.StartAgainAsync();
        var log = await cli.RunAsync(tree.Directory, "build", app, "1");
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Matches(@"web: Step 2/\d+ : COPY index.html /index.html", log.Output);
        Assert.Contains("gantry: build 1 succeeded", log.Output);
        using var admin = Admin();
        var record = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/builds/1")).RootElement;
        Assert.Equal("succeeded", record.GetProperty("state").GetString());
        Assert.StartsWith("sha256:", record.GetProperty("images").GetProperty("web").GetString());
        Assert.Equal(record.GetProperty("images").GetProperty("web").GetString(),
            JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/releases/1")).RootElement.GetProperty("services")[0].GetProperty("imageId").GetString());

        // Bad input names the value.
        var unknown = await cli.RunAsync(tree.Directory, "build", app, "9");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains($"'{app}' has no build 9: the builds kept are 1 to 1", unknown.Error);
        var notANumber = await admin.GetAsync($"/api/v1/apps/{app}/builds/first/log");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.StartsWith("'first' is not a build number", JsonDocument.Parse(await notANumber.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Cancel_OfARunningBuild_StopsTheEnginesBuildAndDeploysNothing()
    {
        var app = TestProject.UniqueApp("bld");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo started-{app} && sleep 59\n"));
        var pushing = tree.RunAsync("push", Remote(app), "main");
        await WaitForLogAsync(app, 1, "started-" + app);
        var following = new CliRunner(Server) { Token = Server.Token }.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "build", app, "1", "--follow");

        var cancel = await new CliRunner(Server).RunAsync(tree.Directory, "build", app, "--cancel", "1");

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains($"build 1 of {app} cancelled: cancelled by admin", cancel.Output);
        var push = await pushing;
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote: gantry: build 1 cancelled: cancelled by admin", push.Error);
        Assert.Contains("nothing was deployed", push.Error);
        Assert.Contains("! [remote rejected] main -> main (pre-receive hook declined)", push.Error);
        // A follower saw the step start and the build end, and says so in its exit code.
        var followed = await following;
        Assert.Equal(1, followed.ExitCode);
        Assert.Contains("started-" + app, followed.Output);
        Assert.EndsWith("gantry: build 1 cancelled: cancelled by admin\n", followed.Output);
        using var admin = Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}")).StatusCode);
        // dockerd stopped the step when the build request closed, and removed its container (nothing left behind).
        using var docker = new DockerCli();
        var left = "";
        for (var i = 0; i < 40; i++)
        {
            left = (await docker.RunAsync(null, "ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Command}}")).Output;
            if (!left.Contains("started-" + app, StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(250);
        }
        Assert.DoesNotContain("started-" + app, left);
        var again = await new CliRunner(Server).RunAsync(tree.Directory, "build", app, "--cancel", "1");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("build 1 of '" + app + "' already cancelled: there is nothing to cancel", again.Error);
    }

    [Fact]
    public async Task Build_OverItsMemoryOrTimeLimit_FailsNamingTheLimit()
    {
        var hungry = TestProject.UniqueApp("bld");
        using var memory = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nRUN head -c 200m /dev/zero | tail > /dev/null\n"));

        var push = await memory.RunAsync("push", Remote(hungry), "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Matches(@"remote: gantry: build 1 failed: service 'web': .*returned a non-zero code: 137 \(137: the step was killed, most likely for going over the build memory limit of 48 MiB: raise --build-memory", push.Error);
        Assert.Contains("! [remote rejected] main -> main (pre-receive hook declined)", push.Error);

        var slow = TestProject.UniqueApp("bld");
        using var time = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nRUN sleep 58\n"));
        var watch = Stopwatch.StartNew();

        var late = await time.RunAsync("push", Remote(slow), "main");

        Assert.NotEqual(0, late.ExitCode);
        Assert.Contains("remote: gantry: build 1 failed: stopped: the build ran over the time limit of 20s (--build-timeout)", late.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(55), $"{watch.Elapsed}");
        using var admin = Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{slow}")).StatusCode);
        var log = await admin.GetStringAsync($"/api/v1/apps/{slow}/builds/1/log");
        Assert.Contains("ran over the time limit of 20s", log);
    }

    [Fact]
    public async Task SecondPush_WhileABuildRuns_QueuesAtPosition1AndBothDeploy()
    {
        var first = TestProject.UniqueApp("bld");
        var second = TestProject.UniqueApp("bld");
        using var one = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo started-{first} && sleep 3\n"));
        using var two = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY compose.yaml /c\n"));
        var pushingFirst = one.RunAsync("push", Remote(first), "main");
        await WaitForLogAsync(first, 1, "started-" + first);

        var pushingSecond = two.RunAsync("push", Remote(second), "main");
        var listed = "";
        for (var i = 0; i < 40 && !listed.Contains("queued (position 1)", StringComparison.Ordinal); i++)
        {
            listed = (await new CliRunner(Server).RunAsync(two.Directory, "builds", second)).Output;
            await Task.Delay(100);
        }

        Assert.Matches(@"(?m)^1\s+\w{12}\s+main\s+queued \(position 1\)\s+-", listed);
        var pushes = await Task.WhenAll(pushingFirst, pushingSecond);
        Assert.True(pushes.All(p => p.ExitCode == 0), string.Join("\n====\n", pushes.Select(p => p.ToString())));
        Assert.Contains("remote: gantry: build 1 waits for a build slot: position 1 in the queue (1 at once on this server)", pushes[1].Error);
        Assert.Contains($"remote: gantry: {second} runs release 1", pushes[1].Error);
    }

    private const string TestedCompose = """
        services:
          web:
            build: .
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            deploy:
              resources:
                limits:
                  memory: 16M
            x-gantry:
              test: "echo checking; grep -q v1 /index.html || { echo 'index.html is not v1' >&2; exit 3; }"
        """;

    [Fact]
    public async Task TestStage_PassingDeploys_FailingStopsBeforeAnyReleaseNamingTheStage()
    {
        var app = TestProject.UniqueApp("tst");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", TestedCompose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /index.html\n"), ("index.html", "v1\n"));

        var passing = await tree.RunAsync("push", Remote(app), "main");

        Assert.True(passing.ExitCode == 0, passing.ToString());
        Assert.Contains("remote: gantry: test stage: web: sh -c echo checking; grep -q v1 /index.html", passing.Error);
        Assert.Contains("remote: web test: checking", passing.Error);
        Assert.Contains("remote: gantry: test stage: web passed", passing.Error);
        Assert.Contains($"remote: gantry: {app} runs release 1", passing.Error);

        await tree.CommitAsync("v2 breaks the test", ("index.html", "v2\n"));
        var failing = await tree.RunAsync("push", Remote(app), "main");

        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains("remote: web test: index.html is not v1", failing.Error);
        Assert.Contains("remote: gantry: build 2 failed: test stage failed: service 'web': its test exited 3; its last lines: ", failing.Error);
        Assert.Contains("refused: build 2 failed: test stage failed: service 'web': its test exited 3", failing.Error);
        Assert.Contains("nothing was deployed", failing.Error);
        Assert.Contains("! [remote rejected] main -> main (pre-receive hook declined)", failing.Error);
        using var admin = Admin();
        var releases = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/releases")).RootElement;
        Assert.True(releases.GetArrayLength() == 1, releases.ToString());
        var build = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/builds/2")).RootElement;
        Assert.Equal("failed", build.GetProperty("state").GetString());
        Assert.Contains("index.html is not v1", await admin.GetStringAsync($"/api/v1/apps/{app}/builds/2/log"));
        // The test's container is gone, and so is the failed build's tag.
        using var docker = new DockerCli();
        var left = (await docker.RunAsync(null, "ps", "-a", "--filter", $"label=gantry.test-of={app}", "--format", "{{.Names}}")).Output;
        Assert.True(left.Trim().Length == 0, left);
        var head = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();
        Assert.NotEqual(0, (await docker.RunAsync(null, "image", "inspect", $"{app}/web:{head[..12]}")).Code);
    }

    [Fact]
    public async Task TestStage_WithServices_StartsThemBesideTheTestReachableByName_AndRemovesThemAfter()
    {
        var app = TestProject.UniqueApp("tsv");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", """
            services:
              db:
                image: gantry/busybox:1
                command: ["sh", "-c", "mkdir -p /www && echo ready-from-db > /www/index.html && exec httpd -f -p 8080 -h /www"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
                  interval: 1s
                  retries: 30
                deploy:
                  resources:
                    limits: { memory: 16M }
              web:
                build: .
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                deploy:
                  resources:
                    limits: { memory: 16M }
                x-gantry:
                  test: {command: "wget -q -O- http://db:8080/ && grep -q v1 /index.html", services: [db], timeout: 2m}
            """), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /index.html\n"), ("index.html", "v1\n"));

        var push = await tree.RunAsync("push", Remote(app), "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("remote: gantry: test stage: starting db for web's test", push.Error);
        Assert.Contains("remote: gantry: test stage: db is healthy", push.Error);
        Assert.Contains("remote: web test: ready-from-db", push.Error);
        Assert.Contains("remote: gantry: test stage: web passed", push.Error);
        Assert.Contains($"remote: gantry: {app} runs release 1", push.Error);
        using var docker = new DockerCli();
        Assert.Equal("", (await docker.RunAsync(null, "ps", "-a", "--filter", $"label=gantry.test-of={app}", "--format", "{{.Names}}")).Output.Trim());
        Assert.Equal("", (await docker.RunAsync(null, "network", "ls", "--filter", $"label=gantry.test-of={app}", "--format", "{{.Name}}")).Output.Trim());
    }

    [Fact]
    public async Task AsyncPush_ReturnsOnceTheBuildIsQueued_AndThePipelineGoesOnInTheServer()
    {
        var app = TestProject.UniqueApp("asy");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo started-{app} && sleep 4\n"));
        var commit = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();

        var push = await tree.RunAsync("push", "-o", "async", Remote(app), "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: build 1 of {app} queued for {commit[..12]}", push.Error);
        Assert.Contains($"remote: gantry: follow it with 'gantry build {app} 1 --follow'", push.Error);
        Assert.DoesNotContain("build 1 succeeded", push.Error);
        Assert.DoesNotContain("runs release", push.Error);
        Assert.Contains("* [new branch]      main -> main", push.Error);

        // The build goes on without the push: its follower sees it end, then the release is stored and runs.
        var followed = await new CliRunner(Server).RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "build", app, "1", "--follow");
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains("started-" + app, followed.Output);
        Assert.Contains("gantry: build 1 succeeded", followed.Output);
        using var admin = Admin();
        var releases = "";
        for (var i = 0; i < 120; i++)
        {
            var response = await admin.GetAsync($"/api/v1/apps/{app}/releases");
            releases = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
            if (releases.Contains(commit, StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(250);
        }
        var release = JsonDocument.Parse(releases).RootElement.EnumerateArray().Single();
        Assert.Equal(1, release.GetProperty("number").GetInt64());
        Assert.Equal(commit, release.GetProperty("commit").GetString());
    }

    [Fact]
    public async Task Webhook_FromAnExternalRepository_DeploysThePushedCommit_BadSignatureRefused_ReplayIgnored()
    {
        var app = TestProject.UniqueApp("hook");
        const string secret = "webhook-secret-0123456789";
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /index.html\n"), ("index.html", "v1\n"));
        var external = Path.Combine(Path.GetDirectoryName(tree.Directory)!, "external.git");
        (await tree.RunAsync("init", "-q", "--bare", external)).EnsureSuccess();
        (await tree.RunAsync("push", "-q", external, "main")).EnsureSuccess();
        var commit = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();
        using var admin = Admin();

        var weak = await admin.PutAsync($"/api/v1/apps/{app}/source", Json($$"""{"url": "{{external}}", "secret": "short"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("secret: give the webhook's secret, at least 16 characters", await weak.Content.ReadAsStringAsync());
        var set = await admin.PutAsync($"/api/v1/apps/{app}/source", Json($$"""{"url": "{{external}}", "branch": "main", "secret": "{{secret}}"}"""));
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        Assert.DoesNotContain(secret, await (await admin.GetAsync($"/api/v1/apps/{app}/source")).Content.ReadAsStringAsync());

        var body = $$"""{"ref": "refs/heads/main", "before": "{{new string('0', 40)}}", "after": "{{commit}}"}""";
        using var anonymous = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Task<HttpResponseMessage> GitHubAsync(string delivery, string signingSecret) => PushDeliveryAsync(anonymous, app, delivery, signingSecret, body);

        var forged = await GitHubAsync("d-1", "not-the-secret-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var delivered = await GitHubAsync("d-1", secret);
        Assert.True(delivered.StatusCode == HttpStatusCode.Accepted, await delivered.Content.ReadAsStringAsync());
        var replayed = await GitHubAsync("d-1", secret);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("ignored: delivery d-1 was handled before", await replayed.Content.ReadAsStringAsync());

        // Gantry fetched the commit from the external repository, built it and made release 1 of it, once.
        var releases = "";
        for (var i = 0; i < 160 && !releases.Contains(commit, StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            var response = await admin.GetAsync($"/api/v1/apps/{app}/releases");
            releases = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
        }
        var release = JsonDocument.Parse(releases).RootElement.EnumerateArray().Single();
        Assert.Equal(commit, release.GetProperty("commit").GetString());
        Assert.Equal("main", release.GetProperty("branch").GetString());
        var builds = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/builds")).RootElement;
        Assert.Equal(1, builds.GetArrayLength());
        Assert.Equal("succeeded", builds[0].GetProperty("state").GetString());

        // GitLab's form: the token is the secret; a wrong one is refused.
        using var gitlab = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{app}") { Content = new StringContent(body) };
        gitlab.Headers.Add("X-Gitlab-Event", "Push Hook");
        gitlab.Headers.Add("X-Gitlab-Event-UUID", "g-1");
        gitlab.Headers.Add("X-Gitlab-Token", "wrong-token-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(gitlab)).StatusCode);

        // The delivery is remembered by the store: replayed after a restart, it is still ignored.
        await Server.KillAsync();
        await Server.StartAgainAsync();
        var late = await GitHubAsync("d-1", secret);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("ignored: delivery d-1 was handled before", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Webhook_PushOfAnotherBranch_DeploysItsPreview_ItsDeletionRemovesIt()
    {
        var app = TestProject.UniqueApp("hookpv");
        const string secret = "webhook-secret-0123456789";
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /index.html\n"), ("index.html", "v1\n"));
        var external = Path.Combine(Path.GetDirectoryName(tree.Directory)!, "external.git");
        (await tree.RunAsync("init", "-q", "--bare", external)).EnsureSuccess();
        (await tree.RunAsync("checkout", "-q", "-b", "feature/login")).EnsureSuccess();
        var commit = await tree.CommitAsync("login form", ("index.html", "login\n"));
        (await tree.RunAsync("push", "-q", external, "feature/login")).EnsureSuccess();
        using var admin = Admin();
        var set = await admin.PutAsync($"/api/v1/apps/{app}/source", Json($$"""{"url": "{{external}}", "branch": "main", "secret": "{{secret}}"}"""));
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        using var anonymous = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Task<HttpResponseMessage> GitHubAsync(string delivery, string after) => PushDeliveryAsync(anonymous, app, delivery, secret,
            $$"""{"ref": "refs/heads/feature/login", "before": "{{new string('0', 40)}}", "after": "{{after}}"}""");
        var preview = $"{app}-{Gantry.Model.Environments.PreviewNames.Environment("feature/login")}";

        var pushed = await GitHubAsync("pv-1", commit);

        Assert.True(pushed.StatusCode == HttpStatusCode.Accepted, await pushed.Content.ReadAsStringAsync());
        Assert.Contains($"deploying the preview of feature/login at {commit[..12]}", await pushed.Content.ReadAsStringAsync());
        var releases = "";
        for (var i = 0; i < 160 && !releases.Contains(commit, StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            var response = await admin.GetAsync($"/api/v1/apps/{preview}/releases");
            releases = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
        }
        var release = JsonDocument.Parse(releases).RootElement.EnumerateArray().Single();
        Assert.Equal("feature/login", release.GetProperty("branch").GetString());
        var environments = await admin.GetStringAsync($"/api/v1/apps/{app}/environments");
        Assert.Contains("\"previewOf\":\"feature/login\"", environments);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}")).StatusCode);

        var deleted = await GitHubAsync("pv-2", new string('0', 40));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains($"removed the preview of 'feature/login' ({preview}", await deleted.Content.ReadAsStringAsync());
        var gone = false;
        for (var i = 0; i < 120 && !gone; i++)
        {
            await Task.Delay(250);
            gone = (await admin.GetAsync($"/api/v1/apps/{preview}")).StatusCode == HttpStatusCode.NotFound;
        }
        Assert.True(gone, $"{preview} was not removed");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Waits until the build's kept log says <paramref name="text"/> (the build is then running that step).</summary>
    private async Task WaitForLogAsync(string app, long number, string text)
    {
        using var admin = Admin();
        var log = "";
        for (var i = 0; i < 120; i++)
        {
            var response = await admin.GetAsync($"/api/v1/apps/{app}/builds/{number}/log");
            log = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"build {number} of {app} never logged '{text}'; its log: {log}");
    }

    /// <summary>A GitHub push delivery to the app's webhook, signed with <paramref name="secret"/> as GitHub signs it.</summary>
    private static async Task<HttpResponseMessage> PushDeliveryAsync(HttpClient client, string app, string delivery, string secret, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{app}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Gantry.Server.Webhooks.WebhookDelivery.Sign(secret, System.Text.Encoding.UTF8.GetBytes(body)));
        return await client.SendAsync(request);
    }
}
