using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 13's first slice through the real server, Debian's git and a real dockerd: `git push` over smart HTTP builds the
/// pushed commit's images and deploys it, printing the build and the rollout as `remote:` lines; the app's team decides
/// who may fetch and push; a refused or failed deploy refuses the push (docs/decisions/0018).
/// </summary>
public sealed class GitPushTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private const string BuiltCompose = """
        services:
          web:
            build: .
            command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            init: true
            deploy:
              resources:
                limits:
                  memory: 32M
        """;

    private const string Dockerfile = "FROM gantry/busybox:1\nCOPY index.html /www/index.html\n";

    private const string PlainCompose = """
        services:
          web:
            image: gantry/busybox:1
            command: ["sleep", "3600"]
            init: true
            deploy:
              resources:
                limits:
                  memory: 16M
        """;

    private string Remote(string app, string user, string secret) =>
        $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(secret)}@127.0.0.1:{fixture.Server.Port}/git/{app}.git";

    [Fact]
    public async Task Push_WithAToken_BuildsTheCommitDeploysItAndASecondPushMakesANewRelease()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", BuiltCompose), ("Dockerfile", Dockerfile), ("index.html", "hello v1\n"));
        var first = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();
        var remote = Remote(app, "anyone", fixture.Tokens["deployer-a"]);

        var push = await tree.RunAsync("push", remote, "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: deploying {app} from main at {first[..12]} \"first\" (Tess Tester <tess@example.com>)", push.Error);
        Assert.Contains("remote: web: Step 1/", push.Error);
        Assert.Contains($"remote: gantry: accepted as release 1", push.Error);
        Assert.Contains($"remote: gantry: {app} runs release 1 ({first[..12]})", push.Error);
        Assert.Contains("* [new branch]      main -> main", push.Error);

        // The release records the commit, the branch and the author; the image is tagged with the commit; the app serves it.
        var release = await ReleaseAsync(app, 1);
        Assert.Equal(first, release.GetProperty("commit").GetString());
        Assert.Equal("main", release.GetProperty("branch").GetString());
        Assert.Equal("Tess Tester <tess@example.com>", release.GetProperty("author").GetString());
        Assert.Equal("git-push", release.GetProperty("cause").GetString());
        Assert.Equal("deployer-a", release.GetProperty("createdBy").GetString());
        using (var docker = new DockerCli())
        {
            var (code, output) = await docker.RunAsync(null, "image", "inspect", "--format", "{{.Id}}", $"{app}/web:{first[..12]}");
            Assert.True(code == 0, output);
        }
        await AssertServesAsync(app, "hello v1");
        Assert.Equal(fixture.TeamA, (await AppAsync(app)).GetProperty("team").GetString());

        var second = await tree.CommitAsync("second", ("index.html", "hello v2\n"));
        var again = await tree.RunAsync("push", remote, "main");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"remote: gantry: {app} runs release 2 ({second[..12]})", again.Error);
        Assert.Equal(second, (await ReleaseAsync(app, 2)).GetProperty("commit").GetString());
        await AssertServesAsync(app, "hello v2");
        var releases = await new CliRunner(fixture.Server) { Token = fixture.Tokens["viewer-a"] }.RunAsync(tree.Directory, "releases", app);
        Assert.Matches($@"\* 2\s+git-push\s+\S+\s+.*\s+deployer-a\s+{second[..12]} main", releases.Output);

        // The push is in the audit log with what came of it; no credential is in the server's log or the repository's config.
        using var admin = fixture.Client("admin");
        var audit = await admin.GetStringAsync("/api/v1/audit");
        Assert.Contains($"POST /git/{app}.git/git-receive-pack", audit);
        Assert.Contains("release 2 running", audit);
        Assert.DoesNotContain(fixture.Tokens["deployer-a"], fixture.Server.Log);
        Assert.DoesNotContain("gtp_", fixture.Server.Log);
        var config = await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "git", app + ".git", "config"));
        Assert.DoesNotContain(fixture.Tokens["deployer-a"], config);
        Assert.DoesNotContain("gtp_", config);
        Assert.DoesNotContain("GANTRY_PUSH", config);
    }

    [Fact]
    public async Task Push_WrongPassword_Is401AndDeploysNothing()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", PlainCompose));

        var push = await tree.RunAsync("push", Remote(app, "deployer-a", "not-the-password"), "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote: the user name and password (or token) are not valid for this server", push.Error);
        Assert.Contains("Authentication failed", push.Error);
        using var admin = fixture.Client("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(fixture.Server.DataDirectory, "git", app + ".git")));

        // Without credentials: the challenge stock git answers by sending (or asking for) a user and password.
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        var challenge = await anonymous.GetAsync($"/git/{app}.git/info/refs?service=git-receive-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic realm=\"Gantry\"", challenge.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Viewer_ClonesWithAPasswordButCannotPush_AndAnotherTeamSeesNoRepository()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", PlainCompose));
        (await tree.RunAsync("push", Remote(app, "deployer-a", IdentityFixture.Password), "main")).EnsureSuccess();
        var clone = Path.Combine(Path.GetDirectoryName(tree.Directory)!, "clone");

        var cloned = await tree.RunAsync("clone", Remote(app, "viewer-a", IdentityFixture.Password), clone);

        Assert.True(cloned.ExitCode == 0, cloned.ToString());
        Assert.True(File.Exists(Path.Combine(clone, "compose.yaml")));

        var viewerPush = await tree.RunInAsync(clone, "push", Remote(app, "viewer-a", fixture.Tokens["viewer-a"]), "main:refs/heads/other");
        Assert.NotEqual(0, viewerPush.ExitCode);
        Assert.Contains($"remote: pushing to '{app}' needs the deployer role in team '{fixture.TeamA}'", viewerPush.Error);
        Assert.Contains("403", viewerPush.Error);

        // Another team's user: the app's repository does not exist for them, for a fetch as for a push.
        foreach (var args in new[] { new[] { "ls-remote", Remote(app, "deployer-b", fixture.Tokens["deployer-b"]) }, ["push", Remote(app, "deployer-b", fixture.Tokens["deployer-b"]), "main"] })
        {
            var other = await tree.RunAsync(args);
            Assert.NotEqual(0, other.ExitCode);
            Assert.Contains($"remote: app '{app}' does not exist", other.Error);
            Assert.Contains("not found", other.Error);
        }
        Assert.Single((await ReleasesAsync(app)).EnumerateArray());
    }

    [Fact]
    public async Task Push_BrokenCompose_PrintsTheLocatedErrorAndDeploysNothing()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", "services:\n  web:\n    image: gantry/busybox:1\n    replicas_typo: 2\n"));
        var remote = Remote(app, "x", fixture.Tokens["deployer-a"]);

        var push = await tree.RunAsync("push", remote, "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote: error: compose.yaml:4:5: services.web.replicas_typo: unknown key 'replicas_typo'", push.Error);
        Assert.Contains("nothing was deployed", push.Error);
        Assert.Contains("! [remote rejected] main -> main (pre-receive hook declined)", push.Error);
        using var admin = fixture.Client("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}")).StatusCode);

        // A repository without the compose file at its root says what to add.
        (await tree.RunAsync("rm", "-q", "compose.yaml")).EnsureSuccess();
        await tree.CommitAsync("no compose", ("README", "nothing to run\n"));
        var none = await tree.RunAsync("push", remote, "main");
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("has no compose file at the repository's root: add compose.yaml", none.Error);
        Assert.Equal("", (await tree.RunAsync("--git-dir", Path.Combine(fixture.Server.DataDirectory, "git", app + ".git"), "for-each-ref")).EnsureSuccess().Output);
    }

    [Fact]
    public async Task Push_FailingBuild_ReportsTheBuildErrorAndKeepsTheBranchWhereItWas()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", BuiltCompose), ("Dockerfile", "FROM gantry/busybox:1\nRUN echo compiling && exit 3\n"), ("index.html", "x\n"));
        var remote = Remote(app, "x", fixture.Tokens["deployer-a"]);

        var push = await tree.RunAsync("push", remote, "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote: web: compiling", push.Error);
        // The build is a step before the release (docs/decisions/0025): a failed one makes no release.
        Assert.Matches(@"remote: error: deploy of \w{12} refused: build 1 failed: service 'web': .*returned a non-zero code: 3; nothing was deployed", push.Error);
        Assert.Contains("! [remote rejected] main -> main (pre-receive hook declined)", push.Error);
        Assert.Equal("", (await tree.RunAsync("--git-dir", Path.Combine(fixture.Server.DataDirectory, "git", app + ".git"), "for-each-ref")).EnsureSuccess().Output);
    }

    [Fact]
    public async Task Push_ByAMemberOfTwoTeams_NeedsTheTeamOptionAndAsyncReturnsOnceAccepted()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", PlainCompose));
        var remote = Remote(app, "both", fixture.Tokens["both"]);

        var unchosen = await tree.RunAsync("push", remote, "main");
        Assert.NotEqual(0, unchosen.ExitCode);
        Assert.Contains("choose the new app's team with --team", unchosen.Error);

        var typo = await tree.RunAsync("push", "-o", "asink", remote, "main");
        Assert.Contains("remote: error: unknown push option 'asink'", typo.Error);

        var push = await tree.RunAsync("push", "-o", $"team={fixture.TeamB}", "-o", "async", remote, "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("remote: gantry: accepted as release 1", push.Error);
        Assert.Contains("not waiting for the build and rollout (-o async)", push.Error);
        Assert.DoesNotContain("runs release", push.Error);
        Assert.Equal(fixture.TeamB, (await AppAsync(app)).GetProperty("team").GetString());
    }

    [Fact]
    public async Task Push_OfMasterAlone_DeploysMasterAndClonesCheckItOut()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", PlainCompose));
        (await tree.RunAsync("branch", "-m", "main", "master")).EnsureSuccess();
        var remote = Remote(app, "x", fixture.Tokens["deployer-a"]);

        var push = await tree.RunAsync("push", remote, "master");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: deploying {app} from master at", push.Error);
        Assert.Equal("master", (await ReleaseAsync(app, 1)).GetProperty("branch").GetString());
        var clone = Path.Combine(Path.GetDirectoryName(tree.Directory)!, "clone");
        (await tree.RunAsync("clone", "-q", remote, clone)).EnsureSuccess();
        Assert.Equal("master", (await tree.RunInAsync(clone, "rev-parse", "--abbrev-ref", "HEAD")).EnsureSuccess().Output.Trim());

        // Another branch deploys its own preview (GitPreviewTests has the rest), never the app; a tag deploys nothing.
        (await tree.RunAsync("checkout", "-q", "-b", "feature")).EnsureSuccess();
        await tree.CommitAsync("feature work", ("notes.txt", "wip\n"));
        var feature = await tree.RunAsync("push", remote, "feature");
        Assert.True(feature.ExitCode == 0, feature.ToString());
        Assert.Contains("remote: gantry: 'feature' is not the deploy branch ('master'): deploying its preview", feature.Error);
        Assert.Single((await ReleasesAsync(app)).EnumerateArray());
        (await tree.RunAsync("tag", "v1")).EnsureSuccess();
        var tag = await tree.RunAsync("push", remote, "v1");
        Assert.True(tag.ExitCode == 0, tag.ToString());
        Assert.Contains("remote: gantry: only 'master' deploys; refs/tags/v1 kept without a deploy", tag.Error);
        var removed = await tree.RunAsync("push", remote, "--delete", "feature");
        Assert.Contains("remote: gantry: removed the preview of 'feature'", removed.Error);
        Assert.Single((await ReleasesAsync(app)).EnumerateArray());
    }

    [Fact]
    public async Task Push_LargePack_StreamsThroughAndAGzipdFetchRequestIsInflated()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", PlainCompose));
        // Incompressible, over git's 1 MiB post buffer: the pack goes as a chunked body with no Content-Length.
        await File.WriteAllBytesAsync(Path.Combine(tree.Directory, "blob.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(12 << 20));
        var commit = await tree.CommitAsync("a large file");
        var token = fixture.Tokens["deployer-a"];

        var push = await tree.RunAsync("push", Remote(app, "x", token), "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(commit, (await ReleaseAsync(app, 1)).GetProperty("commit").GetString());

        // git gzips large fetch negotiations; http-backend must be told (HTTP_CONTENT_ENCODING) to inflate them.
        var request = Encoding.ASCII.GetBytes($"0032want {commit}\n00000009done\n");
        using var gzipped = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(request);
        }
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/git/{app}.git/git-upload-pack") { Content = new ByteArrayContent(gzipped.ToArray()) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        message.Content.Headers.ContentEncoding.Add("gzip");
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + token)));

        var response = await http.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-git-upload-pack-result", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("0008NAK\nPACK", Encoding.Latin1.GetString(body, 0, 13));
        Assert.True(body.Length > 12 << 20, $"{body.Length} bytes");
    }

    [Fact]
    public async Task TwoPushesAtOnce_QueueAndTheDeployedCommitIsTheBranchs()
    {
        var app = TestProject.UniqueApp("git");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", BuiltCompose), ("Dockerfile", Dockerfile), ("index.html", "base\n"));
        var remote = Remote(app, "x", fixture.Tokens["deployer-a"]);
        (await tree.RunAsync("push", remote, "main")).EnsureSuccess();
        var clones = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var clone = Path.Combine(Path.GetDirectoryName(tree.Directory)!, "clone" + i);
            (await tree.RunAsync("clone", "-q", remote, clone)).EnsureSuccess();
            await File.WriteAllTextAsync(Path.Combine(clone, "index.html"), $"from clone {i}\n");
            (await tree.RunInAsync(clone, "commit", "-q", "-am", "clone " + i)).EnsureSuccess();
            clones.Add(clone);
        }

        var pushes = await Task.WhenAll(clones.Select(c => tree.RunInAsync(c, "push", remote, "main")));

        // One lands; the other is refused before it deploys anything (by the server, or by git itself when it saw the new ref).
        Assert.True(pushes.Count(p => p.ExitCode == 0) == 1, string.Join("\n====\n", pushes.Select(p => p.ToString())));
        var loser = pushes.Single(p => p.ExitCode != 0);
        Assert.True(loser.Error.Contains("another push landed first", StringComparison.Ordinal) || loser.Error.Contains("fetch first", StringComparison.Ordinal), loser.ToString());
        var main = (await tree.RunAsync("ls-remote", remote, "refs/heads/main")).EnsureSuccess().Output.Split('\t')[0];
        var releases = (await ReleasesAsync(app)).EnumerateArray().ToList();
        Assert.True(releases.Count == 2, $"{releases.Count} releases after:\n" + string.Join("\n====\n", pushes.Select(p => p.ToString())));
        Assert.Equal(main, releases.Single(r => r.GetProperty("current").GetBoolean()).GetProperty("commit").GetString());
    }

    [Theory]
    [InlineData("/git/..%2f..%2fetc.git/info/refs?service=git-upload-pack")]
    [InlineData("/git/%2e%2e.git/info/refs?service=git-receive-pack")]
    [InlineData("/git/..%2fgantry.db/info/refs?service=git-upload-pack")]
    [InlineData("/git/Hello.git/info/refs?service=git-receive-pack")]
    [InlineData("/git/a.b.git/git-receive-pack")]
    public async Task RepositoryName_NotAnAppName_IsRefusedBeforeAnythingIsTouched(string path)
    {
        var before = Directory.Exists(Path.Combine(fixture.Server.DataDirectory, "git"))
            ? Directory.GetFileSystemEntries(Path.Combine(fixture.Server.DataDirectory, "git")).Length : 0;
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        using var request = new HttpRequestMessage(path.Contains("info/refs", StringComparison.Ordinal) ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + fixture.Tokens["admin"])));

        var response = await http.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.StatusCode}");
        Assert.Contains("not a", await response.Content.ReadAsStringAsync());
        var after = Directory.Exists(Path.Combine(fixture.Server.DataDirectory, "git"))
            ? Directory.GetFileSystemEntries(Path.Combine(fixture.Server.DataDirectory, "git")).Length : 0;
        Assert.Equal(before, after);
    }

    private async Task<JsonElement> AppAsync(string app)
    {
        using var admin = fixture.Client("admin");
        return JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}")).RootElement.GetProperty("spec");
    }

    private async Task<JsonElement> ReleasesAsync(string app)
    {
        using var admin = fixture.Client("admin");
        return JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/releases")).RootElement;
    }

    private async Task<JsonElement> ReleaseAsync(string app, long number)
    {
        var releases = await ReleasesAsync(app);
        var found = releases.EnumerateArray().Where(r => r.GetProperty("number").GetInt64() == number).ToList();
        Assert.True(found.Count == 1, $"{app} has {found.Count} release(s) numbered {number}; its releases: {releases}");
        return found[0];
    }

    /// <summary>Every running replica of the app's web service answers with <paramref name="text"/> (the old one may take a moment to go).</summary>
    private async Task AssertServesAsync(string app, string text)
    {
        using var admin = fixture.Client("admin");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var seen = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var replicas = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{app}/replicas")).RootElement.EnumerateArray()
                .Select(r => r.GetProperty("replica"))
                .Where(r => r.GetProperty("state").GetString() == "running" && r.TryGetProperty("ipAddress", out _))
                .Select(r => r.GetProperty("ipAddress").GetString())
                .ToList();
            var answers = new List<string>();
            foreach (var ip in replicas)
            {
                try
                {
                    answers.Add((await http.GetStringAsync($"http://{ip}:8080/")).Trim());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers.Add("(no answer)");
                }
            }
            seen = string.Join(", ", answers);
            if (answers.Count > 0 && answers.All(a => a == text))
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"{app} does not serve '{text}': its running replicas answered [{seen}]");
    }
}
