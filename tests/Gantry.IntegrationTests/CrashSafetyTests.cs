using Gantry.IntegrationTests.Infrastructure;

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

        var gone = await EngineProbe.EventuallyAsync(async () =>
            (await EngineProbe.ContainersAsync(server.InstallationId, app)).Count == 0
            && await EngineProbe.OtherObjectsAsync(server.InstallationId, app) == (0, 0), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(gone, server.Log);
        var apps = await cli.RunAsync(project.Directory, "apps", "--output", "json");
        Assert.DoesNotContain(app, apps.Output);
    }
}
