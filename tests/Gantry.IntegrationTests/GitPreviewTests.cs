using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 13's preview environments through the real server, Debian's git, a real dockerd and a real router: a push of a
/// branch other than main deploys that branch as its own instance on `BRANCH.APP.localhost` (the app's own host keeps serving
/// main), and deleting the branch with git removes the preview.
/// </summary>
public sealed class GitPreviewTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    [Fact]
    public async Task BranchPush_DeploysAPreviewOnItsOwnHost_AndDeletingTheBranchRemovesIt()
    {
        var app = TestProject.UniqueApp("pv");
        var host = $"{app}.example.test";
        var compose = $$"""
            services:
              web:
                build: .
                command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                init: true
                x-gantry: { host: {{host}}, port: 8080 }
                deploy:
                  resources:
                    limits: { memory: 32M }
            """;
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", compose), ("Dockerfile", "FROM gantry/busybox:1\nCOPY index.html /www/index.html\n"), ("index.html", "main\n"));
        var remote = $"http://x:{Uri.EscapeDataString(fixture.Tokens["deployer-a"])}@127.0.0.1:{fixture.Server.Port}/git/{app}.git";
        await using var router = await RouterHost.StartAsync(fixture.Server.RouterOptions());
        var previewHost = $"feature-login.{app}.localhost";
        var previewApp = $"{app}-{Gantry.Model.Environments.PreviewNames.Environment("feature/Login")}";
        try
        {
            (await tree.RunAsync("push", remote, "main")).EnsureSuccess();
            (await tree.RunAsync("checkout", "-q", "-b", "feature/Login")).EnsureSuccess();
            await tree.CommitAsync("the preview's change", ("index.html", "preview\n"));

            var push = await tree.RunAsync("push", remote, "feature/Login");

            Assert.True(push.ExitCode == 0, push.ToString());
            Assert.Contains($"remote: gantry: 'feature/Login' is not the deploy branch ('main'): deploying its preview {previewApp} at http://{previewHost}/", push.Error);
            Assert.Contains($"remote: gantry: {previewApp} answers at http://{previewHost}", push.Error);
            using (var admin = fixture.Client("admin"))
            {
                var preview = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/apps/{previewApp}")).RootElement.GetProperty("spec");
                Assert.Equal(fixture.TeamA, preview.GetProperty("team").GetString());
            }
            Assert.Equal("preview", await ServedAsync(router, previewHost, "preview"));
            Assert.Equal("main", await ServedAsync(router, host, "main"));

            // git push --delete: the preview goes (replicas, routes, the instance), the app stays.
            var delete = await tree.RunAsync("push", remote, "--delete", "feature/Login");

            Assert.True(delete.ExitCode == 0, delete.ToString());
            Assert.Contains($"remote: gantry: removed the preview of 'feature/Login' ({previewApp}, {previewHost})", delete.Error);
            using (var admin = fixture.Client("admin"))
            {
                var gone = await EngineProbe.EventuallyAsync(async () =>
                    (await admin.GetAsync($"/api/v1/apps/{previewApp}")).StatusCode == System.Net.HttpStatusCode.NotFound, TimeSpan.FromSeconds(30));
                Assert.True(gone, $"{previewApp} is still there after its branch was deleted");
                Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/apps/{app}")).StatusCode);
            }
            Assert.Equal("main", await ServedAsync(router, host, "main"));
            using var docker = new DockerCli();
            var (_, left) = await docker.RunAsync(null, "ps", "-a", "--filter", $"label=gantry.app={previewApp}", "--format", "{{.Names}}");
            Assert.Equal("", left.Trim());
        }
        finally
        {
            await new CliRunner(fixture.Server).RunAsync(tree.Directory, "rm", previewApp);
            await new CliRunner(fixture.Server).RunAsync(tree.Directory, "rm", app);
        }
    }

    /// <summary>What the router answers for <paramref name="host"/>, once it is <paramref name="expected"/> (the route table follows the rollout).</summary>
    private static async Task<string> ServedAsync(RunningRouter router, string host, string expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var last = "";
        await EngineProbe.EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/");
            request.Headers.Host = host;
            try
            {
                using var response = await http.SendAsync(request);
                last = $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).Trim()}";
                return response.IsSuccessStatusCode && last.EndsWith(" " + expected, StringComparison.Ordinal);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
                return false;
            }
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));
        return last.EndsWith(" " + expected, StringComparison.Ordinal) ? expected : last;
    }
}
