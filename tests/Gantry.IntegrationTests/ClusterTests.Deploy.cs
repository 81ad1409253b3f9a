using System.Text.Json;
using Gantry.Docker;
using Gantry.Docker.Swarm;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 11's driver on the lab (decision 0021, the mapping of releases): `gantry deploy` onto a three-node Swarm places an
/// unrouted worker and a routed httpd as one Swarm service per (app, service, release), `gantry ps` says each replica's node,
/// scale changes the service's count, a changed spec is a new release's service that replaces the old one, a drained
/// node's replicas move and Gantry's status follows, what cannot be placed is refused with each node's numbers, and
/// `gantry rm` leaves no service and no network.
/// </summary>
public sealed partial class ClusterTests
{
    private static string Compose(string version, int workers) => $$"""
        services:
          worker:
            image: gantry/busybox:1
            command: ["sh", "-c", "echo worker says hello; exec sleep 100000"]
            stop_grace_period: 1s
            # Read-only: a writer would be pinned to one node with its data (docs/decisions/0033); a reader runs anywhere, and
            # each node's engine makes its own copy of the volume.
            volumes: ["data:/data:ro"]
            deploy:
              replicas: {{workers}}
              placement:
                max_replicas_per_node: 1
              resources:
                limits: { memory: 16M }
          web:
            image: gantry/busybox:1
            command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            stop_grace_period: 1s
            environment:
              VERSION: "{{version}}"
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/hostname"]
              interval: 1s
              retries: 3
            x-gantry:
              host: swarm-web.localhost
              port: 8080
              rollback-window: 1s
            deploy:
              replicas: 2
              resources:
                limits: { memory: 16M }
        volumes:
          data: {}
        """;

    [Fact]
    public async Task Deploy_ComposeAppOnTheLab_PerReleaseSwarmServicesAcrossNodesScaledReplacedAndRemoved()
    {
        await FormClusterAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("sw");
        using var project = new TestProject(Compose("1", 3));
        try
        {
            // Release 1: one Swarm service per service, dnsrr, labelled, on the app's attachable overlay network.
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            var services = await ServicesAsync(manager, app);
            Assert.Equal([$"{app}_web_r1", $"{app}_worker_r1"], services.Select(s => s.Spec.Name).Order(StringComparer.Ordinal));
            Assert.All(services, s =>
            {
                Assert.Equal("dnsrr", s.Spec.EndpointSpec?.Mode);
                Assert.Equal(app, s.Spec.Labels![Gantry.Model.GantryLabels.App]);
                Assert.Equal("1", s.Spec.TaskTemplate.ContainerSpec.Labels![Gantry.Model.GantryLabels.Release]);
                Assert.Equal(16L << 20, s.Spec.TaskTemplate.Resources?.Limits?.MemoryBytes);
            });
            var network = (await manager.Networks.ListAsync(new DockerFilters().Label(Gantry.Model.GantryLabels.App, app))).Single();
            Assert.Equal(($"{app}_default", "overlay"), (network.Name, network.Driver));

            // gantry ps: each replica's node; max_replicas_per_node 1 puts the three workers on three nodes.
            var replicas = await ReplicasAsync(project.Directory, app);
            var workers = replicas.Where(r => r.Service == "worker").ToList();
            Assert.Equal(3, workers.Count);
            Assert.Equal(["node1", "node2", "node3"], workers.Select(r => r.Node).Order(StringComparer.Ordinal));
            Assert.All(replicas, r => Assert.Equal("running", r.State));
            Assert.All(replicas.Where(r => r.Service == "web"), r => Assert.Equal("healthy", r.Health));
            Assert.All(replicas, r => Assert.StartsWith("10.", r.Ip, StringComparison.Ordinal));
            var table = (await RunIn(project.Directory, "ps", app)).Output;
            Assert.Contains("NODE", table, StringComparison.Ordinal);
            Assert.Contains($"{app}-worker-1-", (await RunIn(project.Directory, "events", app)).Output, StringComparison.Ordinal);
            Assert.Matches(@"is running on node[123]", (await RunIn(project.Directory, "events", app)).Output);

            // CPU and memory of replicas on every node, read from each node's own engine (the URL node add was given).
            await EventuallyAsync(async () => (await ReplicasAsync(project.Directory, app)).Where(r => r.Service == "worker").All(r => r.MemoryBytes > 0),
                "the memory use of the workers on all three nodes in gantry ps");

            // Per node: what Gantry's replicas there use, kept over time (admins).
            await EventuallyAsync(async () =>
            {
                var view = JsonDocument.Parse((await Run("node", "metrics", "node2", "--since", "5m", "--output", "json")).Output).RootElement;
                return view.GetProperty("series").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "node_memory_bytes"
                    && s.GetProperty("points").EnumerateArray().Any(p => p.GetProperty("value").GetDouble() > 0));
            }, "node2's memory use in gantry node metrics");

            // The named volume each node's engine created for its worker carries Gantry's labels (removed with the app below).
            for (var node = 1; node <= 3; node++)
            {
                using var engine = SwarmLab.Client(node);
                var volume = (await engine.Volumes.ListAsync(new DockerFilters().Add("name", $"{app}_data"))).Single(v => v.Name == $"{app}_data");
                Assert.Equal(app, volume.Labels?.GetValueOrDefault(Gantry.Model.GantryLabels.App));
            }

            // Logs of replicas on every node, collected into Gantry's log store through the task logs API.
            await EventuallyAsync(async () => LogReplicas((await RunIn(project.Directory, "logs", app, "worker", "--output", "json")).Output).Count == 3,
                "the hello of all three workers, one per node, in gantry logs");

            // Scale: the release's service's count.
            await RunIn(project.Directory, "scale", app, "worker=2");
            await EventuallyAsync(async () => (await ServicesAsync(manager, app)).Single(s => s.Spec.Name.EndsWith("_worker_r1", StringComparison.Ordinal)).Spec.Mode.Replicated?.Replicas == 2
                && (await ReplicasAsync(project.Directory, app)).Count(r => r.Service == "worker" && r.State == "running") == 2, "worker scaled to 2");

            // What cannot be placed is refused with each node's numbers, and nothing changes.
            using (var big = new TestProject(Compose("1", 4)))
            {
                var refused = await lab.Cli.RunAsync(big.Directory, "deploy", "-f", "compose.yaml", "--app", app);
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains("cannot be placed on the cluster", refused.Error, StringComparison.Ordinal);
                Assert.Contains("node1 1 (max_replicas_per_node 1)", refused.Error, StringComparison.Ordinal);
            }

            // Release 2 (web's spec changed): its own service, blue-green; release 1's web service goes once the new one is live.
            await File.WriteAllTextAsync(project.ComposePath, Compose("2", 2));
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.Contains(await ServicesAsync(manager, app), s => s.Spec.Name == $"{app}_web_r2");
            await EventuallyAsync(async () => (await ServicesAsync(manager, app)).Select(s => s.Spec.Name).Order(StringComparer.Ordinal)
                .SequenceEqual([$"{app}_web_r2", $"{app}_worker_r1"]), "release 1's web service removed after the rollback window");
            Assert.Equal(2, (await ReplicasAsync(project.Directory, app)).Count(r => r.Service == "web" && r.Health == "healthy"));

            // A drained node's replicas move (Swarm does it) and Gantry's status follows.
            var drained = (await ReplicasAsync(project.Directory, app)).First(r => r.Service == "web").Node!;
            var nodeView = await OpenNodeViewAsync(drained);
            await Run("node", "drain", drained);
            await EventuallyAsync(async () =>
            {
                var now = await ReplicasAsync(project.Directory, app);
                return now.All(r => r.Node != drained && r.State == "running") && now.Count(r => r.Service == "web" && r.Health == "healthy") == 2;
            }, $"replicas moved off {drained}");
            await AssertNodeViewAsync(nodeView, drained);

            // gantry rm: no service, no network, and the volume on no node.
            await RunIn(project.Directory, "rm", app);
            Assert.Empty(await ServicesAsync(manager, app));
            await EventuallyAsync(async () => (await manager.Networks.ListAsync(new DockerFilters().Label(Gantry.Model.GantryLabels.App, app))).Count == 0, "network removed");
            for (var node = 1; node <= 3; node++)
            {
                using var engine = SwarmLab.Client(node);
                await EventuallyAsync(async () => (await engine.Volumes.ListAsync(new DockerFilters().Add("name", $"{app}_data"))).All(v => v.Name != $"{app}_data"),
                    $"the volume removed from node{node}");
            }
        }
        finally
        {
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    /// <summary>The replicas that said hello, from `gantry logs --output json`.</summary>
    private static HashSet<string> LogReplicas(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("text").GetString() == "worker says hello")
            .Select(l => l.GetProperty("replica").GetString()!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The admin's Apps page, open before the drain: the node view (what `gantry nodes` reads) with the node still active.</summary>
    private async Task<Microsoft.Playwright.IPage> OpenNodeViewAsync(string node)
    {
        var page = await chromium.NewPageAsync(lab.Server.Url);
        await Console.ConsolePage.SignInAsync(page, "admin", lab.Server.Token);
        var nodes = page.GetByTestId("nodes");
        await Microsoft.Playwright.Assertions.Expect(nodes.Locator("tbody tr")).ToHaveCountAsync(3);
        await Microsoft.Playwright.Assertions.Expect(nodes.Locator($"tr[data-node='{node}']").GetByTestId("availability")).ToHaveTextAsync("active");
        await Console.ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync("window.__gantryNotReloaded = true");
        return page;
    }

    /// <summary>
    /// The same page, never reloaded, follows the drain live (the manager's node events and the apps' status, issue 12): three
    /// nodes, the drained one with nothing left on it.
    /// </summary>
    private static async Task AssertNodeViewAsync(Microsoft.Playwright.IPage page, string drained)
    {
        var nodes = page.GetByTestId("nodes");
        await Microsoft.Playwright.Assertions.Expect(nodes.Locator("tbody tr")).ToHaveCountAsync(3);
        await Microsoft.Playwright.Assertions.Expect(nodes.Locator("tr[data-node='node1']").GetByTestId("role")).ToHaveTextAsync("manager (leader)");
        var row = nodes.Locator($"tr[data-node='{drained}']");
        await Microsoft.Playwright.Assertions.Expect(row.GetByTestId("availability")).ToHaveTextAsync("drain");
        await Microsoft.Playwright.Assertions.Expect(row.GetByTestId("replicas")).ToHaveTextAsync("0");
        await Microsoft.Playwright.Assertions.Expect(nodes.Locator("tr[data-node]").GetByTestId("memory").First).ToContainTextAsync(" of ");
        Assert.True(await page.EvaluateAsync<bool>("window.__gantryNotReloaded === true"), "the Apps page reloaded");
        await Console.ConsolePage.ScreenshotAsync(page, "apps-nodes.png");
    }

    private static async Task<IReadOnlyList<SwarmService>> ServicesAsync(DockerClient manager, string app) =>
        await manager.Services.ListAsync(new DockerFilters().Label(Gantry.Model.GantryLabels.App, app));

    private sealed record Replica(string Service, string State, string Health, string? Node, string? Ip, long? MemoryBytes);

    private async Task<List<Replica>> ReplicasAsync(string directory, string app)
    {
        var json = JsonDocument.Parse((await RunIn(directory, "ps", app, "--output", "json")).Output).RootElement;
        return [.. json.EnumerateArray().Select(v => (View: v, Replica: v.GetProperty("replica"))).Select(v => new Replica(
            v.Replica.GetProperty("service").GetString()!,
            v.Replica.GetProperty("state").GetString()!,
            v.Replica.GetProperty("health").GetString()!,
            v.Replica.TryGetProperty("node", out var node) ? node.GetString() : null,
            v.Replica.TryGetProperty("ipAddress", out var ip) ? ip.GetString() : null,
            v.View.TryGetProperty("memoryUsageBytes", out var memory) && memory.ValueKind == JsonValueKind.Number ? memory.GetInt64() : null))];
    }

    private async Task<CliResult> RunIn(string directory, params string[] args)
    {
        var result = await lab.Cli.RunAsync(directory, args);
        Assert.True(result.ExitCode == 0, $"gantry {string.Join(' ', args)}: {result}\n--- server\n{lab.Server.Log}");
        return result;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 60 s: {what}");
            await Task.Delay(500);
        }
    }
}
