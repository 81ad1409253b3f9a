using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>Bad input gets line-numbered errors and deploys nothing; overcommit is refused with the numbers.</summary>
public sealed class ValidationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string, string> Malformed => new()
    {
        { "bad YAML", "services:\n  web:\n    image: [unclosed\n", "compose.yaml:4:1: invalid YAML" },
        { "unknown key", "services:\n  web:\n    image: gantry/busybox:1\n    enviroment:\n      A: b\n", "did you mean 'environment'" },
        { "wrong type", "services:\n  web:\n    image: gantry/busybox:1\n    ports: 8080\n", "compose.yaml:4:" },
        { "bad port", "services:\n  web:\n    image: gantry/busybox:1\n    ports:\n      - \"80800:80\"\n", "compose.yaml:5:" },
        { "missing variable", "services:\n  web:\n    image: gantry/busybox:1\n    environment:\n      DB: ${DB_URL:?set DB_URL to the database address}\n", "set DB_URL to the database address" },
        { "dependency cycle", "services:\n  a:\n    image: gantry/busybox:1\n    depends_on: [b]\n  b:\n    image: gantry/busybox:1\n    depends_on: [a]\n", "cycle" },
        { "unknown image", "services:\n  web:\n    image: gantry/does-not-exist:1.0\n", "compose.yaml:3:" },
        { "floating tag in production", "services:\n  web:\n    image: gantry/busybox:latest\n", "compose.yaml:3:5: services.web.image: 'gantry/busybox:latest' floats (latest), which production refuses" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Deploy_MalformedInput_LocatedErrorAndNothingDeployed(string what, string compose, string expected)
    {
        using var project = new TestProject(compose);
        var app = TestProject.UniqueApp("bad");

        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);

        Assert.True(deploy.ExitCode == 7, $"{what}: {deploy}");
        Assert.True((deploy.Output + deploy.Error).Contains(expected, StringComparison.Ordinal), $"{what}: expected '{expected}' in\n{deploy}");
        Assert.DoesNotContain("   at ", deploy.Output + deploy.Error);
        var apps = await fixture.Cli.RunAsync(project.Directory, "apps", "--output", "json");
        Assert.DoesNotContain(app, apps.Output);
        Assert.Empty(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
    }

    [Fact]
    public async Task Deploy_Overcommit_RefusedWithTheNumbers()
    {
        using var project = new TestProject("""
            services:
              jvm:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
                deploy:
                  replicas: 40
                  resources:
                    limits: { memory: 2G }
            """);
        var app = TestProject.UniqueApp("big");

        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);

        Assert.True(deploy.ExitCode == 6, deploy.ToString());
        var text = deploy.Output + deploy.Error;
        Assert.Contains("refused", text);
        Assert.Contains("80 GiB", text);
        Assert.Contains("jvm 40 x 2 GiB", text);
        Assert.Empty(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
    }
}
