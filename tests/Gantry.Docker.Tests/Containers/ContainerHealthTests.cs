using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerHealthTests
{
    private static HealthConfig Check(string command) => new()
    {
        Test = HealthConfig.Shell(command),
        Interval = TimeSpan.FromMilliseconds(500),
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 2,
    };

    [Fact]
    public async Task InspectAsync_PassingHealthCheck_ReachesHealthy()
    {
        await using var scope = new DockerTestScope("health");
        var id = await scope.CreateShellAsync("ok", "touch /ready; exec sleep 300",
            customize: p => p with { Healthcheck = Check("test -e /ready") });
        await scope.Client.Containers.StartAsync(id);

        var inspect = await Eventually.UntilAsync(() => scope.Client.Containers.InspectAsync(id),
            i => i.State.Health?.Status == "healthy", what: "healthy");

        var health = inspect.State.Health!;
        Assert.Equal(0, health.FailingStreak);
        Assert.NotEmpty(health.Log);
        Assert.All(health.Log, r => Assert.Equal(0, r.ExitCode));
        Assert.True(health.Log[^1].End >= health.Log[^1].Start);
    }

    [Fact]
    public async Task InspectAsync_FailingHealthCheck_ReportsUnhealthyWithStreakAndOutput()
    {
        await using var scope = new DockerTestScope("health");
        var id = await scope.CreateShellAsync("bad", "exec sleep 300",
            customize: p => p with { Healthcheck = Check("echo gdt-probe-failed; exit 1") });
        await scope.Client.Containers.StartAsync(id);

        var inspect = await Eventually.UntilAsync(() => scope.Client.Containers.InspectAsync(id),
            i => i.State.Health?.Status == "unhealthy", what: "unhealthy");

        var health = inspect.State.Health!;
        Assert.True(health.FailingStreak >= 2);
        Assert.Contains(health.Log, r => r.ExitCode == 1 && r.Output.Contains("gdt-probe-failed", StringComparison.Ordinal));
    }
}
