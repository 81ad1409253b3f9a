using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerLifecycleTests
{
    [Fact]
    public async Task CreateAsync_WithLimitsMountsAndNetwork_InspectReportsThem()
    {
        await using var scope = new DockerTestScope("ctr");
        var bindDir = Directory.CreateTempSubdirectory("gdt-bind-");
        var network = scope.TrackNetwork((await scope.Client.Networks.CreateAsync(
            new() { Name = scope.Name("net"), Labels = scope.Labels })).Id);
        var volume = scope.TrackVolume(scope.Name("vol"));
        try
        {
            var created = await scope.Client.Containers.CreateAsync(new ContainerCreateParameters
            {
                Name = scope.Name("limits"),
                Image = DockerTestScope.Busybox,
                Entrypoint = ["sh", "-c"],
                Cmd = ["echo ready; exec sleep 300"],
                Env = ["GANTRY_TEST=1"],
                User = "1000:1000",
                WorkingDir = "/tmp",
                Labels = scope.Labels,
                ExposedPorts = ContainerPorts.Expose("8080/tcp"),
                StopSignal = "SIGINT",
                StopTimeout = 3,
                Healthcheck = new HealthConfig
                {
                    Test = HealthConfig.Shell("true"),
                    Interval = TimeSpan.FromSeconds(2),
                    Timeout = TimeSpan.FromSeconds(1),
                    Retries = 3,
                    StartPeriod = TimeSpan.FromMilliseconds(500),
                },
                HostConfig = new HostConfig
                {
                    Memory = 64L * 1024 * 1024,
                    MemoryReservation = 32L * 1024 * 1024,
                    NanoCpus = 500_000_000,
                    PidsLimit = 64,
                    RestartPolicy = new RestartPolicy { Name = "on-failure", MaximumRetryCount = 2 },
                    Mounts =
                    [
                        Mount.Volume(volume, "/data"),
                        Mount.Bind(bindDir.FullName, "/host", readOnly: true),
                        Mount.Tmpfs("/scratch", 8 * 1024 * 1024),
                    ],
                    PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>(
                        [ContainerPorts.Bind("8080/tcp", 0, "127.0.0.1")]),
                    ExtraHosts = ["gantry.test:10.1.2.3"],
                    Init = true,
                    LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "1m" } },
                },
                NetworkingConfig = NetworkingConfig.For(network, "web"),
            });
            scope.TrackContainer(created.Id);
            await scope.Client.Containers.StartAsync(created.Id);

            var inspect = await scope.Client.Containers.InspectAsync(created.Id);

            Assert.Equal("/" + scope.Name("limits"), inspect.Name);
            Assert.True(inspect.State.Running);
            Assert.True(inspect.State.Pid > 0);
            Assert.True(inspect.State.StartedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.StartsWith("sha256:", inspect.Image, StringComparison.Ordinal);
            Assert.Equal(scope.RunId, inspect.Config.Labels![DockerTestScope.LabelKey]);
            Assert.Contains("GANTRY_TEST=1", inspect.Config.Env!);
            Assert.Equal("1000:1000", inspect.Config.User);
            Assert.Equal("/tmp", inspect.Config.WorkingDir);
            Assert.Equal(["sh", "-c"], inspect.Config.Entrypoint!);
            Assert.Equal("SIGINT", inspect.Config.StopSignal);
            Assert.Equal(3, inspect.Config.StopTimeout);
            Assert.True(inspect.Config.ExposedPorts!.ContainsKey("8080/tcp"));
            Assert.Equal(TimeSpan.FromSeconds(2), inspect.Config.Healthcheck!.Interval);
            Assert.Equal(TimeSpan.FromMilliseconds(500), inspect.Config.Healthcheck.StartPeriod);
            Assert.Equal(3, inspect.Config.Healthcheck.Retries);

            var host = inspect.HostConfig;
            Assert.Equal(64L * 1024 * 1024, host.Memory);
            Assert.Equal(32L * 1024 * 1024, host.MemoryReservation);
            Assert.Equal(500_000_000, host.NanoCpus);
            Assert.Equal(64, host.PidsLimit);
            Assert.Equal("on-failure", host.RestartPolicy!.Name);
            Assert.Equal(2, host.RestartPolicy.MaximumRetryCount);
            Assert.True(host.Init);
            Assert.Contains("gantry.test:10.1.2.3", host.ExtraHosts!);
            Assert.Equal("1m", host.LogConfig!.Config!["max-size"]);
            Assert.Equal(8 * 1024 * 1024, host.Mounts!.Single(m => m.Type == "tmpfs").TmpfsOptions!.SizeBytes);

            Assert.Contains(inspect.Mounts!, m => m.Type == "volume" && m.Name == volume && m.Destination == "/data");
            Assert.Contains(inspect.Mounts!, m => m.Type == "bind" && m.Destination == "/host" && !m.RW);

            var endpoint = inspect.NetworkSettings.Networks![scope.Name("net")];
            Assert.False(string.IsNullOrEmpty(endpoint.IPAddress));
            Assert.Contains("web", endpoint.Aliases!);
            var published = inspect.NetworkSettings.Ports!["8080/tcp"]!.Single();
            Assert.Equal("127.0.0.1", published.HostIp);
            Assert.NotEqual("0", published.HostPort);
        }
        finally
        {
            await scope.Client.Containers.RemoveAsync(scope.Name("limits"), force: true);
            bindDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ListAsync_WithLabelNameAndStatusFilters_ReturnsOnlyMatches()
    {
        await using var scope = new DockerTestScope("ctr");
        var running = await scope.RunShellAsync("running", "exec sleep 300");
        var created = await scope.CreateShellAsync("created", "exit 0");

        var byLabel = await scope.Client.Containers.ListAsync(new ContainerListOptions
        {
            All = true,
            Filters = DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId),
        });
        var runningOnly = await scope.Client.Containers.ListAsync(new ContainerListOptions
        {
            Filters = DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId),
        });
        var byStatus = await scope.Client.Containers.ListAsync(new ContainerListOptions
        {
            All = true,
            Filters = DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId).Add("status", "created"),
        });
        var byName = await scope.Client.Containers.ListAsync(new ContainerListOptions
        {
            All = true,
            Filters = new DockerFilters().Add("name", scope.Name("running")),
        });

        Assert.Equal(new[] { created, running }.Order(), byLabel.Select(c => c.Id).Order());
        Assert.Equal(running, Assert.Single(runningOnly).Id);
        Assert.Equal("running", runningOnly[0].State);
        Assert.Equal(created, Assert.Single(byStatus).Id);
        Assert.Equal(running, Assert.Single(byName).Id);
        Assert.Equal("/" + scope.Name("running"), byName[0].Names[0]);
    }

    [Fact]
    public async Task KillAsync_WithSigkill_WaitReturnsExitCode137()
    {
        await using var scope = new DockerTestScope("ctr");
        var id = await scope.RunShellAsync("kill", "exec sleep 300");

        await scope.Client.Containers.KillAsync(id, "SIGKILL");
        var wait = await scope.Client.Containers.WaitAsync(id);

        Assert.Equal(137, wait.StatusCode);
        var state = (await scope.Client.Containers.InspectAsync(id)).State;
        Assert.False(state.Running);
        Assert.Equal("exited", state.Status);
        Assert.Equal(137, state.ExitCode);
        Assert.True(state.FinishedAt >= state.StartedAt);
    }

    [Fact]
    public async Task KillAsync_WithTrappedSignal_ContainerExitsWithItsOwnCode()
    {
        await using var scope = new DockerTestScope("ctr");
        var id = await scope.RunShellAsync("trap", "trap 'exit 42' USR1; echo up; while true; do sleep 0.2; done");
        await Eventually.UntilAsync(
            async () => await scope.Client.Containers.LogsAsync(id).CountAsync(), n => n > 0, what: "the trap to be installed");

        await scope.Client.Containers.KillAsync(id, "SIGUSR1");
        var wait = await scope.Client.Containers.WaitAsync(id);

        Assert.Equal(42, wait.StatusCode);
    }

    [Fact]
    public async Task StopAndRestartAsync_RunningContainer_ChangesStateAndKeepsId()
    {
        await using var scope = new DockerTestScope("ctr");
        var id = await scope.RunShellAsync("stop", "trap 'exit 0' TERM; while true; do sleep 0.2; done");

        await scope.Client.Containers.StopAsync(id, TimeSpan.FromSeconds(5));
        var stopped = await scope.Client.Containers.InspectAsync(id);
        await scope.Client.Containers.StopAsync(id, TimeSpan.FromSeconds(1));
        await scope.Client.Containers.RestartAsync(id, TimeSpan.FromSeconds(1));
        var restarted = await scope.Client.Containers.InspectAsync(id);

        Assert.False(stopped.State.Running);
        Assert.Equal(0, stopped.State.ExitCode);
        Assert.True(restarted.State.Running);
        Assert.True(restarted.State.StartedAt > stopped.State.StartedAt);
    }

    [Fact]
    public async Task UpdateAsync_RunningContainer_ChangesLimitsWithoutRestart()
    {
        await using var scope = new DockerTestScope("ctr");
        const long before = 64L * 1024 * 1024, after = 128L * 1024 * 1024;
        var id = await scope.RunShellAsync("update", "exec sleep 300", new HostConfig { Memory = before, MemorySwap = before });
        var startedAt = (await scope.Client.Containers.InspectAsync(id)).State.StartedAt;

        await scope.Client.Containers.UpdateAsync(id, new ContainerUpdateParameters
        {
            Memory = after,
            MemorySwap = after,
            NanoCpus = 1_000_000_000,
            PidsLimit = 100,
            RestartPolicy = new RestartPolicy { Name = "unless-stopped" },
        });
        var inspect = await scope.Client.Containers.InspectAsync(id);

        Assert.Equal(after, inspect.HostConfig.Memory);
        Assert.Equal(1_000_000_000, inspect.HostConfig.NanoCpus);
        Assert.Equal(100, inspect.HostConfig.PidsLimit);
        Assert.Equal("unless-stopped", inspect.HostConfig.RestartPolicy!.Name);
        Assert.True(inspect.State.Running);
        Assert.Equal(startedAt, inspect.State.StartedAt);
    }

    [Fact]
    public async Task RemoveAsync_WithForce_RemovesRunningContainer()
    {
        await using var scope = new DockerTestScope("ctr");
        var id = await scope.RunShellAsync("rm", "exec sleep 300");

        await scope.Client.Containers.RemoveAsync(id, force: true, removeVolumes: true);

        Assert.Null(await scope.Client.Containers.TryInspectAsync(id));
    }
}
