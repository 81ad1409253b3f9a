using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>The registry inside the server, with real docker clients, feeding Gantry's own deploys.</summary>
public sealed class RegistryThroughServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task PushWithGantryToken_ThenDeployPullsFromTheServersRegistry()
    {
        using var docker = new DockerCli();
        var registry = $"127.0.0.1:{fixture.Server.Port}";
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var local = $"gantry-it-reg-{suffix}:v1";
        var remote = $"{registry}/it/reg-{suffix}:v1";
        using var context = new TestProject("", ("Dockerfile", $"FROM gantry/busybox:latest\nRUN echo {suffix} > /marker\nCMD [\"sleep\", \"3600\"]\n"));
        try
        {
            var build = await docker.RunAsync(null, "build", "-q", "-t", local, context.Directory);
            Assert.True(build.Code == 0, build.Output);
            Assert.Equal(0, (await docker.RunAsync(null, "tag", local, remote)).Code);
            var anonymous = await docker.RunAsync(null, "push", remote);
            Assert.NotEqual(0, anonymous.Code);

            var login = await docker.RunAsync(fixture.Server.Token, "login", registry, "-u", "admin", "--password-stdin");
            Assert.True(login.Code == 0, login.Output);
            var push = await docker.RunAsync(null, "push", remote);
            Assert.True(push.Code == 0, push.Output);
            Assert.Equal(0, (await docker.RunAsync(null, "rmi", remote, local)).Code);
            // The push is a change like any other: the audit log has who pushed which image.
            Assert.True(await EngineProbe.EventuallyAsync(async () =>
                    (await fixture.Cli.RunAsync(context.Directory, "audit", "--user", "admin")).Output.Contains($"image it/reg-{suffix}:v1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10)), "no audit entry for the push");

            using var project = new TestProject($"""
                services:
                  pulled:
                    image: {remote}
                    x-gantry:
                      redeploy-on-push: true
                    deploy:
                      resources:
                        limits: {"{"} memory: 8M, cpus: "0.05" {"}"}
                """);
            var app = TestProject.UniqueApp("reg");
            var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.True(deploy.ExitCode == 0, deploy + "\n" + fixture.Server.Log);
            var container = Assert.Single(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
            Assert.True(container.State.Running);

            // A new image pushed under the same tag rolls the service that opted in.
            File.WriteAllText(Path.Combine(context.Directory, "Dockerfile"), $"FROM gantry/busybox:latest\nRUN echo {suffix}-v2 > /marker\nCMD [\"sleep\", \"3600\"]\n");
            Assert.Equal(0, (await docker.RunAsync(null, "build", "-q", "-t", remote, context.Directory)).Code);
            var second = await docker.RunAsync(null, "push", remote);
            Assert.True(second.Code == 0, second.Output);
            Assert.Equal(0, (await docker.RunAsync(null, "rmi", remote)).Code);
            var rolled = await EngineProbe.EventuallyAsync(async () =>
            {
                var now = await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app);
                return now.Count == 1 && now[0].State.Running && now[0].Image != container.Image;
            }, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(500));
            Assert.True(rolled, "the service did not roll to the pushed image\n" + fixture.Server.Log);

            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
        finally
        {
            await docker.RunAsync(null, "rmi", "-f", remote, local);
        }
    }
}
