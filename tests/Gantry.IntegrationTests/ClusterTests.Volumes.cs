using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 11's stateful services, on the lab (docs/decisions/0033): a service that writes to a volume Gantry creates is pinned
/// to one node (the manager, where the reconciler creates the volume), the deploy says so, a new release keeps the pin, and
/// what the first release wrote is there for the second; no other node gets a copy of the volume.
/// </summary>
public sealed partial class ClusterTests
{
    private static string StatefulCompose(string step) => $$"""
        services:
          db:
            image: gantry/busybox:1
            command: ["sh", "-c", "echo {{step}} >> /data/log && sleep 3600"]
            stop_grace_period: 1s
            volumes: ["data:/data"]
            deploy:
              replicas: 2
              resources:
                limits: { memory: 16M }
        volumes:
          data: {}
        """;

    [Fact]
    public async Task Volumes_WritableVolumeOnTheLab_PinnedToOneNodeAndItsDataThereForTheNextRelease()
    {
        await FormClusterAsync();
        var app = TestProject.UniqueApp("vol");
        using var project = new TestProject(StatefulCompose("one"));
        using var docker = new DockerCli();
        try
        {
            var first = await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.Contains("service 'db' writes to volume 'data'", first.Output + first.Error, StringComparison.Ordinal);
            Assert.Contains("pinned to node1 (node.hostname==node1)", first.Output + first.Error, StringComparison.Ordinal);
            await EventuallyAsync(async () => (await ReplicasAsync(project.Directory, app)) is { Count: 2 } r && r.All(x => x is { State: "running", Node: "node1" }),
                "both replicas of db running on node1");

            File.WriteAllText(Path.Combine(project.Directory, "compose.yaml"), StatefulCompose("two"));
            var second = await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.Contains("pinned to node1 (node.hostname==node1, as in the release before)", second.Output + second.Error, StringComparison.Ordinal);
            await EventuallyAsync(async () => (await VolumeFileAsync(docker, 1, app)).Contains("two", StringComparison.Ordinal), "release 2 writing to the volume on node1");
            Assert.All(await ReplicasAsync(project.Directory, app), r => Assert.Equal("node1", r.Node));
            Assert.Contains("one", await VolumeFileAsync(docker, 1, app), StringComparison.Ordinal);
            for (var node = 2; node <= 3; node++)
            {
                var (_, volumes) = await docker.RunAsync(null, "-H", $"unix:///run/gantry-lab/node{node}.sock", "volume", "ls", "-q");
                Assert.DoesNotContain($"{app}_data", volumes, StringComparison.Ordinal);
            }

            await RunIn(project.Directory, "rm", app);
        }
        finally
        {
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    /// <summary>The volume's /data/log as a throwaway container on the node's own engine reads it.</summary>
    private static async Task<string> VolumeFileAsync(DockerCli docker, int node, string app)
    {
        var (code, output) = await docker.RunAsync(null, "-H", $"unix:///run/gantry-lab/node{node}.sock", "run", "--rm", "-v", $"{app}_data:/data",
            "gantry/busybox:1", "cat", "/data/log");
        return code == 0 ? output : "";
    }
}
