using System.Text.Json;
using Gantry.Docker.Swarm;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 11 on the lab (three real engines, real Swarm): the server drives node1 through `--engine`, makes it a manager or
/// adopts its Swarm, joins node2 and node3 through their own engines' APIs, lists them with labels and capacity, drains and
/// removes one, and refuses what cannot work with the reason.
/// </summary>
public sealed partial class ClusterTests(SwarmLab lab, Console.ChromiumFixture chromium) : IClassFixture<SwarmLab>, IClassFixture<Console.ChromiumFixture>
{
    private static readonly string Here = Path.GetTempPath();

    [Fact]
    public async Task Cluster_InitAdoptAddDrainRemove_ThroughGantry()
    {
        // Not in a Swarm yet: the server says so and init creates one with the 1 s heartbeat.
        var before = await Run("cluster");
        Assert.Contains("not a Swarm manager (state inactive)", before.Output, StringComparison.Ordinal);
        var created = await Run("cluster", "init", "--advertise-addr", "10.99.0.11");
        Assert.Contains("created a Swarm", created.Output, StringComparison.Ordinal);
        Assert.Contains("heartbeat 1 s", created.Output, StringComparison.Ordinal);
        Assert.Contains("already manages", (await Run("cluster", "init")).Output, StringComparison.Ordinal);

        // A Swarm made outside Gantry, with Swarm's default 5 s heartbeat, is adopted and tuned.
        await SwarmLab.LeaveEverySwarmAsync();
        using (var node1 = SwarmLab.Client(1))
        {
            await node1.Swarm.InitAsync(new SwarmInitParameters { AdvertiseAddr = "10.99.0.11" });
            Assert.Equal(TimeSpan.FromSeconds(5), (await node1.Swarm.InspectAsync()).DispatcherHeartbeat);
        }
        var adopted = JsonDocument.Parse((await Run("cluster", "init", "-o", "json")).Output).RootElement;
        Assert.Equal("adopted", adopted.GetProperty("action").GetString());
        Assert.Equal(1.0, adopted.GetProperty("heartbeatSeconds").GetDouble());

        // Two machines joined through their own engines, one labelled for placement.
        Assert.Contains("node2 (10.99.0.12) is in the cluster as a worker", (await Run("node", "add", SwarmLab.Engine(2), "--label", "zone=a")).Output, StringComparison.Ordinal);
        Assert.Contains("node3", (await Run("node", "add", SwarmLab.Engine(3), "--role", "worker", "--label", "zone=b")).Output, StringComparison.Ordinal);
        var nodes = await NodesAsync();
        Assert.Equal(["node1", "node2", "node3"], nodes.Select(n => n.GetProperty("name").GetString()));
        Assert.All(nodes, n => Assert.Equal("ready", n.GetProperty("state").GetString()));
        Assert.Equal("manager", nodes[0].GetProperty("role").GetString());
        Assert.True(nodes[0].GetProperty("leader").GetBoolean());
        Assert.Equal("a", nodes[1].GetProperty("labels").GetProperty("zone").GetString());
        Assert.Equal("b", nodes[2].GetProperty("labels").GetProperty("zone").GetString());
        Assert.All(nodes, n => Assert.True(n.GetProperty("cpus").GetDouble() >= 1 && n.GetProperty("memoryBytes").GetInt64() > 0));
        var table = (await Run("nodes")).Output;
        Assert.Contains("RESERVED MEMORY", table, StringComparison.Ordinal);
        Assert.Contains("zone=a", table, StringComparison.Ordinal);

        // Adding a member again only merges labels; what cannot work is refused with the reason.
        await Run("node", "add", SwarmLab.Engine(3), "--label", "disk=ssd");
        Assert.Equal("ssd", (await NodesAsync())[2].GetProperty("labels").GetProperty("disk").GetString());
        var badUrl = await Run(1, "node", "add", "tcp://nowhere");
        Assert.Contains("'tcp://nowhere' has no port", badUrl.Error, StringComparison.Ordinal);
        var silent = await Run(1, "node", "add", "unix:///run/gantry-lab/absent.sock");
        Assert.Contains("did not answer", silent.Error, StringComparison.Ordinal);
        var own = await Run(1, "node", "rm", "node1");
        Assert.Contains("the server's own engine", own.Error, StringComparison.Ordinal);
        Assert.Contains("no node is called 'node9'", (await Run(1, "node", "drain", "node9")).Error, StringComparison.Ordinal);

        // Drain, then remove: node3 leaves through its own engine and is out of the list.
        await Run("node", "drain", "node3");
        Assert.Equal("drain", (await NodesAsync())[2].GetProperty("availability").GetString());
        await Run("node", "rm", "node3");
        Assert.Equal(["node1", "node2"], (await NodesAsync()).Select(n => n.GetProperty("name").GetString()));
        using (var node3 = SwarmLab.Client(3))
        {
            Assert.Equal("inactive", (await node3.System.InfoAsync()).Swarm?.LocalNodeState);
        }

        // A machine that lost power shows down once Swarm misses its heartbeats, and is then removed at once. Until then
        // it still counts as up, and removing it is refused: Gantry cannot tell a dead machine from a cut link before Swarm does.
        await SwarmLab.RunScriptAsync("fail", TimeSpan.FromMinutes(1), "node2");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await NodesAsync())[1].GetProperty("state").GetString() != "down")
            {
                Assert.True(DateTime.UtcNow < deadline, "node2 was not down 60 s after its power loss:\n" + (await Run("nodes")).Output);
                await Task.Delay(500);
            }
            // The manager's node event wakes the alerts: node-down fires for node2 with Swarm's reason.
            Assert.True(await EngineProbe.EventuallyAsync(async () => (await Run("alerts")).Output.Contains("node node2 (worker) is down", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1)), "no node-down alert for node2:\n" + (await Run("alerts")).Output + "\n--- server\n" + lab.Server.Log);
            await Run("node", "rm", "node2");
            Assert.Equal(["node1"], (await NodesAsync()).Select(n => n.GetProperty("name").GetString()));
            // Removed from the cluster, it is no longer a node that is down: the alert resolves.
            Assert.True(await EngineProbe.EventuallyAsync(async () => (await Run("alerts", "--output", "json")).Output.Contains("\"state\": \"resolved\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1)), "node-down did not resolve:\n" + (await Run("alerts")).Output);
        }
        finally
        {
            await SwarmLab.RunScriptAsync("revive", TimeSpan.FromMinutes(2), "node2");
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    [Fact]
    public async Task Services_DnsrrServiceOnTheLab_SpreadWithOverlayAddressesAndCountedByGantry()
    {
        await FormClusterAsync();
        using var manager = SwarmLab.Client(1);
        try
        {
            await manager.Networks.CreateAsync(new Gantry.Docker.Networks.NetworkCreateParameters { Name = "gct-net", Driver = "overlay", Attachable = true });
            var labels = new Dictionary<string, string> { ["gantry.app"] = "gct", ["gantry.service"] = "web" };
            var spec = new ServiceSpec
            {
                Name = "gct_web",
                Labels = labels,
                TaskTemplate = new TaskSpec
                {
                    ContainerSpec = new ContainerSpec { Image = "gantry/busybox:1", Args = ["sleep", "100000"], Labels = labels },
                    Resources = new TaskResources { Reservations = new NodeResources { MemoryBytes = 64L << 20 }, Limits = new NodeResources { MemoryBytes = 64L << 20 } },
                    Placement = new TaskPlacement { MaxReplicas = 1 },
                    Networks = [new TaskNetwork { Target = "gct-net" }],
                    RestartPolicy = new TaskRestartPolicy { Condition = "any" },
                },
                Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = 3 } },
                EndpointSpec = new EndpointSpec { Mode = "dnsrr" },
            };
            var created = await manager.Services.CreateAsync(spec);

            // One task per node (max_replicas_per_node 1), each with an address on the overlay network.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            IReadOnlyList<SwarmTask> running = [];
            while (running.Count < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "3 tasks were not running within 90 s");
                await Task.Delay(500);
                running = [.. (await manager.Tasks.ListAsync(new Gantry.Docker.DockerFilters().Add("service", created.Id).Add("desired-state", "running")))
                    .Where(t => t.Status.State == "running")];
            }
            Assert.Equal(3, running.Select(t => t.NodeId).Distinct().Count());
            Assert.All(running, t => Assert.Contains(t.NetworksAttachments!, a => a.Network.Spec.Name == "gct-net" && a.Addresses.Count == 1));
            var service = await manager.Services.InspectAsync("gct_web");
            Assert.Equal("dnsrr", service.Spec.EndpointSpec?.Mode);
            Assert.Equal(1, service.Spec.TaskTemplate.Placement?.MaxReplicas);

            // Gantry's node list counts the app's replicas and reservations on each node.
            Assert.All(await NodesAsync(), n =>
            {
                Assert.Equal(1, n.GetProperty("replicas").GetInt32());
                Assert.Equal(64L << 20, n.GetProperty("reservedMemoryBytes").GetInt64());
            });

            // An update at the read version scales it in.
            await manager.Services.UpdateAsync(service.Id, service.Version.Index, service.Spec with { Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = 1 } } });
            Assert.Equal(1, (await manager.Services.InspectAsync(service.Id)).Spec.Mode.Replicated?.Replicas);
            await manager.Services.RemoveAsync(service.Id);
            Assert.DoesNotContain(await manager.Services.ListAsync(), s => s.Spec.Name == "gct_web");
        }
        finally
        {
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    private async Task<List<JsonElement>> NodesAsync() =>
        [.. JsonDocument.Parse((await Run("nodes", "-o", "json")).Output).RootElement.EnumerateArray()];

    /// <summary>The lab as most tests start: node1's engine made the Swarm's manager, node2 and node3 joined through Gantry.</summary>
    private async Task FormClusterAsync()
    {
        await Run("cluster", "init", "--advertise-addr", "10.99.0.11");
        await Run("node", "add", SwarmLab.Engine(2));
        await Run("node", "add", SwarmLab.Engine(3));
    }

    private Task<CliResult> Run(params string[] args) => Run(0, args);

    private async Task<CliResult> Run(int expectedExit, params string[] args)
    {
        var result = await lab.Cli.RunAsync(Here, args);
        Assert.True(expectedExit == 0 ? result.ExitCode == 0 : result.ExitCode != 0, $"gantry {string.Join(' ', args)}: {result}\n--- server\n{lab.Server.Log}");
        return result;
    }
}
