using System.Text.Json;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 11, a router on every node (docs/decisions/0029), on the lab: the server runs its router as a container on each of
/// the three nodes, attached to the app's overlay network and published on the node's port 80, so a request to any node's
/// address with the app's host name is served, by replicas on that node and on the others; a router that is killed or
/// removed comes back, one per node, never two; under load, a release and a rollback across the nodes and a crash of the
/// server fail no request (the routers serve from their tables, and the restarted server keeps them), and neither does a
/// scale-in (a fresh set at the smaller count takes the traffic whole, docs/decisions/0034); and `gantry rm` still
/// removes the app's network (the routers leave it first).
/// </summary>
public sealed partial class ClusterTests
{
    private static string RoutedCompose(string host) => $$"""
        services:
          web:
            image: gantry/busybox:1
            command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            stop_grace_period: 1s
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/hostname"]
              interval: 1s
              retries: 3
            x-gantry:
              host: {{host}}
              port: 8080
            deploy:
              replicas: 3
              placement:
                max_replicas_per_node: 1
              resources:
                limits: { memory: 16M }
        """;

    [Fact]
    public async Task Routers_OnEveryNode_ServeTheAppFromAnyNodeAndAreRecreated()
    {
        await FormClusterAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("nr");
        var host = app + ".localhost";
        using var project = new TestProject(RoutedCompose(host));
        try
        {
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.Equal(["node1", "node2", "node3"], (await ReplicasAsync(project.Directory, app)).Select(r => r.Node).Order(StringComparer.Ordinal));

            // Every node's router runs and reports to the server (so the releases wait on it), and `gantry nodes` says so.
            await EventuallyAsync(async () => (await NodesAsync()).All(n => n.GetProperty("router").GetString()?.StartsWith("running (table", StringComparison.Ordinal) == true),
                "a reporting router on every node in gantry nodes");
            Assert.Contains("ROUTER", (await Run("nodes")).Output, StringComparison.Ordinal);

            // Each node's port 80 serves the app, and reaches the replicas on all three nodes (each answers its own host name).
            for (var node = 1; node <= 3; node++)
            {
                await AssertServedByAllReplicasAsync(node, host);
            }

            // A router killed on node2 and one removed on node3 come back (one each), and serve again.
            using (var node2 = SwarmLab.Client(2))
            {
                var before = (await RoutersAsync(node2)).Single();
                await node2.Containers.KillAsync(before.Id);
                await EventuallyAsync(async () => (await RoutersAsync(node2)) is [{ State: "running" } after] && after.Id != before.Id, "node2's killed router recreated");
            }
            using (var node3 = SwarmLab.Client(3))
            {
                var before = (await RoutersAsync(node3)).Single();
                await node3.Containers.RemoveAsync(before.Id, force: true);
                await EventuallyAsync(async () => (await RoutersAsync(node3)) is [{ State: "running" } after] && after.Id != before.Id, "node3's removed router recreated");
            }
            await AssertServedByAllReplicasAsync(2, host);
            await AssertServedByAllReplicasAsync(3, host);
            using (var node1 = SwarmLab.Client(1))
            {
                Assert.Single(await RoutersAsync(node1));
            }

            // Under constant load through node1's router: a blue-green release across the nodes and a rollback to the first
            // (its replicas still warm), then the control plane crashes (SIGKILL) and stays down: every node's router keeps
            // serving from the table it has, and the server started again on the same data resumes with the same routers.
            // No request fails in any of it.
            await using (var load = LoadThroughNode1(host))
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                File.WriteAllText(Path.Combine(project.Directory, "compose.yaml"),
                    RoutedCompose(host).Replace("    stop_grace_period: 1s\n", "    stop_grace_period: 1s\n    environment:\n      RELEASE: \"2\"\n", StringComparison.Ordinal));
                await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
                await RunIn(project.Directory, "rollback", app);
                await Task.Delay(TimeSpan.FromSeconds(2));
                Assert.True(load.Failures == 0, "requests failed during the release or the rollback: " + load.Describe() + "\n--- server\n" + lab.Server.Log);

                load.Mark(DateTimeOffset.UtcNow);
                var routers = new List<string>();
                for (var node = 1; node <= 3; node++)
                {
                    using var engine = SwarmLab.Client(node);
                    routers.Add((await RoutersAsync(engine)).Single().Id);
                }
                await lab.Server.KillAsync();
                await Task.Delay(TimeSpan.FromSeconds(3));
                for (var node = 1; node <= 3; node++)
                {
                    await AssertServedByAllReplicasAsync(node, host);
                }
                Assert.True(load.Failures == 0, "requests failed with the server down: " + load.Describe());

                await lab.Server.StartAgainAsync();
                await EventuallyAsync(async () => (await NodesAsync()).All(n => n.GetProperty("router").GetString()?.StartsWith("running (table", StringComparison.Ordinal) == true),
                    "every node's router reporting to the restarted server");
                for (var node = 1; node <= 3; node++)
                {
                    using var engine = SwarmLab.Client(node);
                    Assert.Equal(routers[node - 1], (await RoutersAsync(engine)).Single().Id);
                }
                global::System.Console.WriteLine("a release, a rollback and a server crash under load through node1's router: " + load.Describe("from the crash on"));

                // A scale-in under the same load (docs/decisions/0034): Swarm would pick which task a smaller count stops, so a
                // fresh set of 2 (a new Swarm service) takes the traffic once every router has it, and the 3 drain and go whole.
                load.Mark(DateTimeOffset.UtcNow);
                // Two services before: the live set of release 3 (release 1's, swapped back) and release 2's, warm since the rollback.
                var before = (await ServicesAsync(manager, app)).Select(s => s.Id).ToList();
                Assert.Equal(2, before.Count);
                var scaled = await lab.Cli.RunAsync(project.Directory, "scale", app, "web=2", "--timeout", "40s");
                if (scaled.ExitCode != 0)
                {
                    var tasks = await manager.Tasks.ListAsync(new DockerFilters());
                    var dump = string.Join("\n", tasks.Select(t => $"{t.ServiceId[..8]} slot {t.Slot} node {t.NodeId?[..6]} desired {t.DesiredState} state {t.Status.State} {t.Status.Err} {t.Status.Message}"));
                    Assert.Fail(scaled.Output + "\n" + scaled.Error + "\n--- tasks\n" + dump + "\n--- ps\n" + (await RunIn(project.Directory, "ps", app)).Output + "\n--- server\n" + lab.Server.Log[^Math.Min(20000, lab.Server.Log.Length)..]);
                }
                Assert.Contains("a fresh set of 2 starts beside the 3 serving", scaled.Output, StringComparison.Ordinal);
                await EventuallyAsync(async () => (await ServicesAsync(manager, app)) is var now
                    && now.Where(s => !before.Contains(s.Id)).ToList() is [{ Spec.Mode.Replicated.Replicas: 2 }]
                    && now.Count(s => before.Contains(s.Id)) == 1,
                    "a fresh service of 2 beside the warm one, the 3 that served gone");
                await Task.Delay(TimeSpan.FromSeconds(2));
                await load.StopAsync();
                Assert.True(load.Failures == 0, "requests failed: " + load.Describe());
                global::System.Console.WriteLine("a scale-in from 3 to 2 under load through node1's router: " + load.Describe("from the scale-in on"));
            }

            // gantry rm: the routers leave the app's network, so it goes.
            await RunIn(project.Directory, "rm", app);
            await EventuallyAsync(async () => (await manager.Networks.ListAsync(new DockerFilters().Label(Gantry.Model.GantryLabels.App, app))).Count == 0, "network removed");
        }
        finally
        {
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    /// <summary>Requests to one node's router until every replica answered (p2c over three replicas), within 60 s.</summary>
    private async Task AssertServedByAllReplicasAsync(int node, string host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < 3)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"node{node}'s router did not reach all three replicas within 60 s (answers: {string.Join(", ", statuses.TakeLast(10))}; replicas seen: {seen.Count})\n--- server\n{lab.Server.Log}");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://10.99.0.1{node}/hostname");
            request.Headers.Host = host;
            try
            {
                using var response = await http.SendAsync(request);
                statuses.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (response.IsSuccessStatusCode)
                {
                    seen.Add((await response.Content.ReadAsStringAsync()).Trim());
                    continue;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                statuses.Add(e.GetType().Name);
            }
            await Task.Delay(250);
        }
    }

    private static async Task<IReadOnlyList<ContainerSummary>> RoutersAsync(DockerClient engine) =>
        await engine.Containers.ListAsync(new ContainerListOptions { All = true, Filters = new DockerFilters().Label("gantry.role", "node-router") });
}
