using System.Net;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.LoadGen;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>The control plane dies at the worst moment; the engine must end up exactly as desired.</summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task ServerKilledMidDeploy_RestartConvergesWithNoDuplicateOrOrphan()
    {
        await using var server = await GantryServerProcess.StartAsync();
        var cli = new CliRunner(server);
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["httpd", "-f", "-p", "8080", "-h", "/"]
                deploy:
                  replicas: 6
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
              side:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                depends_on: [web]
                deploy:
                  replicas: 2
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            """);
        var app = TestProject.UniqueApp("crash");

        var deploy = await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--detach");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        // Kill the server as soon as the first replica exists: the rest of the deploy is in flight.
        Assert.True(await EngineProbe.EventuallyAsync(async () => (await EngineProbe.ContainersAsync(server.InstallationId, app)).Count > 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)));
        await server.KillAsync();
        var atKill = (await EngineProbe.ContainersAsync(server.InstallationId, app)).Count;

        await server.StartAgainAsync();
        var converged = await EngineProbe.EventuallyAsync(async () =>
        {
            var containers = await EngineProbe.ContainersAsync(server.InstallationId, app);
            return containers.Count(c => c.State.Running) == 8;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        // Let a few more passes run: a duplicate would show up now.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var final = await EngineProbe.ContainersAsync(server.InstallationId, app);
        Assert.True(converged, $"did not converge; {final.Count} containers (at kill: {atKill})\n{server.Log}");
        Assert.Equal(8, final.Count);
        var slots = final.Select(c => (c.Config.Labels!["gantry.service"], c.Config.Labels!["gantry.slot"])).ToList();
        Assert.Equal(slots.Count, slots.Distinct().Count());
        Assert.Equal(6, slots.Count(s => s.Item1 == "web"));
        Assert.Equal(2, slots.Count(s => s.Item1 == "side"));

        var rm = await cli.RunAsync(project.Directory, "rm", app);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Empty(await EngineProbe.ContainersAsync(server.InstallationId, app));
    }

    [Fact]
    public async Task ServerKilledDuringRemoval_RestartFinishesTheRemoval()
    {
        await using var server = await GantryServerProcess.StartAsync();
        var cli = new CliRunner(server);
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                deploy:
                  replicas: 4
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            volumes:
              data: {}
            """);
        var app = TestProject.UniqueApp("rmcrash");
        Assert.Equal(0, (await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app)).ExitCode);

        var rm = await cli.RunAsync(project.Directory, "rm", app, "--detach");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await server.KillAsync();
        await server.StartAgainAsync();

        // The record goes last (after the engine's objects, built images and releases): wait for all of it.
        var gone = await EngineProbe.EventuallyAsync(async () =>
            (await EngineProbe.ContainersAsync(server.InstallationId, app)).Count == 0
            && await EngineProbe.OtherObjectsAsync(server.InstallationId, app) == (0, 0)
            && !(await cli.RunAsync(project.Directory, "apps", "--output", "json")).Output.Contains(app, StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(gone, server.Log);
    }

    [Fact]
    public async Task ServerKilledMidBlueGreen_RestartFinishesTheSwapAndNoRequestFails()
    {
        await using var server = await GantryServerProcess.StartAsync();
        var cli = new CliRunner(server);
        var app = TestProject.UniqueApp("bgcrash");
        var host = $"{app}.localhost";
        using var project = new TestProject(ZeroDowntimeTests.Compose(host, "v1"), ("v2.yaml", ZeroDowntimeTests.Compose(host, "v2")));
        await using var router = await RouterHost.StartAsync(server.RouterOptions());
        try
        {
            var first = await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.True(first.ExitCode == 0, first + "\n" + server.Log);
            await ZeroDowntimeTests.WaitForVersionAsync(router, host, "v1");
            await using var load = LoadRunner.Start(new LoadOptions
            {
                Url = new Uri($"http://127.0.0.1:{router.ExternalHttpPort}/"),
                Host = host,
                Concurrency = 4,
                MarkerPattern = ZeroDowntimeTests.Marker,
            });

            var second = await cli.RunAsync(project.Directory, "deploy", "-f", "v2.yaml", "--app", app, "--detach");
            Assert.True(second.ExitCode == 0, second.ToString());
            // Kill the server while the new set is being staged: before the swap, with both versions running.
            Assert.True(await EngineProbe.EventuallyAsync(async () => (await EngineProbe.ContainersAsync(server.InstallationId, app)).Count > 2,
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)));
            await server.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await server.StartAgainAsync();

            Assert.True(await ZeroDowntimeTests.AllTrafficOnAsync(load, "v2"), "after the restart the swap to v2 did not happen\n" + server.Log);
            await load.StopAsync();
            var report = load.Report();
            var failures = string.Join("\n", report.Failures.Select(f => LoadReportText.Failure(f, report.Started)));
            Assert.True(report.Failed == 0, $"{report.Failed} of {report.Total} requests failed:\n{failures}\n{server.Log}");

            // The new set serves, the old set stays warm, and no slot of either exists twice.
            var containers = await EngineProbe.ContainersAsync(server.InstallationId, app);
            var sets = containers.GroupBy(c => c.Config.Labels!["gantry.spec-hash"]).ToList();
            Assert.Equal(2, sets.Count);
            Assert.All(sets, set => Assert.Equal(["1", "2"], set.Select(c => c.Config.Labels!["gantry.slot"]).Order()));
        }
        finally
        {
            await cli.RunAsync(project.Directory, "rm", app);
        }
    }
}

/// <summary>The server dies while a push's test stage runs: the restart fails the build and removes the test's container.</summary>
public sealed class CrashDuringTestStageTests
{
    [Fact]
    public async Task ServerKilledDuringATestStage_RestartRemovesTheTestContainerAndFailsTheBuild()
    {
        await using var server = await GantryServerProcess.StartAsync(new Dictionary<string, string> { ["GANTRY_PUSH_ENVIRONMENT"] = "production" });
        var app = TestProject.UniqueApp("crt");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", """
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                deploy:
                  resources:
                    limits: { memory: 16M }
                x-gantry:
                  test: "echo testing; sleep 300"
            """));
        var remote = $"http://x:{Uri.EscapeDataString(server.Token)}@127.0.0.1:{server.Port}/git/{app}.git";

        var push = await tree.RunAsync("push", "-o", "async", remote, "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        using var docker = new DockerCli();
        async Task<string> TestContainersAsync() =>
            (await docker.RunAsync(null, "ps", "-a", "--filter", $"label=gantry.test-of={app}", "--format", "{{.Names}}")).Output.Trim();
        Assert.True(await EngineProbe.EventuallyAsync(async () => (await TestContainersAsync()).Length > 0, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)),
            "the test stage's container never appeared:\n" + server.Log);
        await server.KillAsync();
        Assert.NotEqual("", await TestContainersAsync());

        await server.StartAgainAsync();

        Assert.Equal("", await TestContainersAsync());
        var cli = new CliRunner(server);
        var builds = await cli.RunAsync(tree.Directory, "builds", app);
        Assert.True(builds.ExitCode == 0, builds.ToString());
        Assert.Contains("failed", builds.Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await LoopbackClientFor(server).GetAsync($"/api/v1/apps/{app}")).StatusCode);
    }

    private static HttpClient LoopbackClientFor(GantryServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.Token);
        return http;
    }
}
