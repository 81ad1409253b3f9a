using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// The replicas' logs outlive them: collected into Gantry's own store by a real server from a real dockerd, found by
/// release after the replica that wrote them was removed and the server restarted, searchable, followed across a replica
/// that starts later, and nothing written while the replicas are silent.
/// </summary>
public sealed class ReplicaLogsTests
{
    private static string Compose(string marker) => $$"""
        services:
          talker:
            image: gantry/busybox:1
            command: ["sh", "-c", "echo {{marker}} hello from $$(hostname); echo '{\"level\":\"info\",\"release\":\"{{marker}}\"}'; exec sleep 3600"]
            stop_grace_period: 1s
            deploy:
              resources:
                limits: { memory: 8M, cpus: "0.05" }
        """;

    [Fact]
    public async Task RemovedReplica_FoundByReleaseAfterServerRestart_GrepAndFollowAndQuietAtRest()
    {
        await using var server = await GantryServerProcess.StartAsync();
        var cli = new CliRunner(server);
        var app = TestProject.UniqueApp("logs");
        using var first = new TestProject(Compose("release-one"));
        var deploy = await cli.RunAsync(first.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var oldContainer = Assert.Single(await EngineProbe.ContainersAsync(server.InstallationId, app)).Id;
        Assert.True(await EngineProbe.EventuallyAsync(async () =>
            (await cli.RunAsync(first.Directory, "logs", app)).Output.Contains("release-one hello", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));

        // A new release replaces the replica: the old container is removed from the engine.
        using var second = new TestProject(Compose("release-two"));
        deploy = await cli.RunAsync(second.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.True(await EngineProbe.EventuallyAsync(async () =>
        {
            var containers = await EngineProbe.ContainersAsync(server.InstallationId, app);
            return containers.Count == 1 && containers[0].Id != oldContainer && containers[0].State.Running;
        }, TimeSpan.FromSeconds(60)), "the first release's replica was not replaced");
        Assert.True(await EngineProbe.EventuallyAsync(async () =>
            (await cli.RunAsync(second.Directory, "logs", app)).Output.Contains("release-two hello", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));

        // Two seconds: past the store's one-second flush. Then the server dies without any shutdown code and comes back.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await server.KillAsync();
        await server.StartAgainAsync();

        var byRelease = await cli.RunAsync(first.Directory, "logs", app, "--release", "1");
        Assert.True(byRelease.ExitCode == 0, byRelease.ToString());
        Assert.Contains("release-one hello", byRelease.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("release-two", byRelease.Output, StringComparison.Ordinal);

        var json = await cli.RunAsync(first.Directory, "logs", app, "--release", "1", "--output", "json");
        var structured = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.TryGetProperty("fields", out _));
        Assert.Equal("info", structured.GetProperty("fields").GetProperty("level").GetString());
        Assert.Equal(1, structured.GetProperty("release").GetInt32());

        // The running replica's lines were collected before the kill and again after the restart: each must be there once.
        var grep = await cli.RunAsync(first.Directory, "logs", app, "--since", "1h", "--grep", "hello from");
        var hellos = grep.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(hellos.Length == 2, grep.ToString());
        Assert.Single(hellos, l => l.Contains("release-one", StringComparison.Ordinal));
        Assert.Single(hellos, l => l.Contains("release-two", StringComparison.Ordinal));

        // A follow started now shows a replica that starts after it began.
        var follow = cli.RunAsync(second.Directory, TimeSpan.FromSeconds(20), "logs", app, "talker", "-f", "--grep", "hello from");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var scale = await cli.RunAsync(second.Directory, "scale", app, "talker=2");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        var followed = await follow;
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains(followed.Output.Split('\n'), l => l.StartsWith($"{app}-talker-2-", StringComparison.Ordinal) && l.Contains("release-two hello", StringComparison.Ordinal));

        // At rest: the replicas are silent, and the store writes nothing.
        var logs = Path.Combine(server.DataDirectory, "logs");
        var before = Snapshot(logs);
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.Equal(before, Snapshot(logs));

        var rm = await cli.RunAsync(second.Directory, "rm", app);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        // The app is gone; an admin still reads what it printed (until the retention age).
        var kept = await cli.RunAsync(second.Directory, "logs", app, "--release", "2");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("release-two hello", kept.Output, StringComparison.Ordinal);

        var df = await cli.RunAsync(second.Directory, "system", "df", "--output", "json");
        Assert.Contains("replica-logs", df.Output, StringComparison.Ordinal);
    }

    private static string Snapshot(string directory) =>
        string.Join('\n', Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"));
}
