using System.Net.Http.Headers;
using Gantry.Docker;
using Gantry.Docker.Images;
using Gantry.Docker.Swarm;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Images across nodes on the lab (issues 11 and 13, docs/decisions/0030): an image only the manager has, and one Gantry builds
/// from `build:`, are pushed by the manager's engine to Gantry's registry at the lab address, the Swarm service names them by
/// digest, every node pulls them from there and runs them, and the registry holds the manifest.
/// </summary>
public sealed partial class ClusterTests
{
    private static string OnEveryNode(string image) => $$"""
        services:
          worker:
            {{image}}
            command: ["sh", "-c", "cat /stamp; exec sleep 100000"]
            stop_grace_period: 1s
            deploy:
              replicas: 3
              placement:
                max_replicas_per_node: 1
              resources:
                limits: { memory: 16M }
        """;

    [Fact]
    public async Task Deploy_ImageOnlyOnTheManager_PushedToGantrysRegistryAndRunByDigestOnEveryNode()
    {
        await JoinLabAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("dg");
        // A fresh image on node1 alone: the lab loaded nothing like it into node2 or node3.
        var tag = $"gantry-it/only-on-manager:{app}";
        using var context = new TestProject("services: {}\n", ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo {app} > /stamp\n"));
        var id = await manager.Images.BuildFromDirectoryAsync(context.Directory, new ImageBuildOptions { Tags = [tag] });
        for (var node = 2; node <= 3; node++)
        {
            using var engine = SwarmLab.Client(node);
            Assert.Null(await engine.Images.TryInspectAsync(tag));
        }
        using var project = new TestProject(OnEveryNode($"image: {tag}"));
        try
        {
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            var first = await AssertRunsByDigestOnEveryNodeAsync(manager, project.Directory, app, app);
            Assert.Equal(id, (await manager.Images.InspectAsync(first.Reference)).Id);
            Assert.Equal(first.Reference, (await ReleaseDigestsAsync(project.Directory, app))[1]);

            // Release 2 runs another image only the manager has; a rollback then names release 1's digest again, exactly.
            var second = $"gantry-it/only-on-manager:{app}-2";
            await File.WriteAllTextAsync(Path.Combine(context.Directory, "Dockerfile"), $"FROM gantry/busybox:1\nRUN echo {app}-2 > /stamp\n");
            await manager.Images.BuildFromDirectoryAsync(context.Directory, new ImageBuildOptions { Tags = [second] });
            await File.WriteAllTextAsync(project.ComposePath, OnEveryNode($"image: {second}"));
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            var two = await SingleServiceImageAsync(manager, app, "_worker_r2");
            Assert.StartsWith($"{SwarmLab.RegistryAddress(lab.Server.Port)}/default/{app}-worker@sha256:", two, StringComparison.Ordinal);
            Assert.NotEqual(first.Reference, two);

            await RunIn(project.Directory, "rollback", app);
            Assert.Equal(first.Reference, await SingleServiceImageAsync(manager, app, "_worker_r3"));
            await EventuallyAsync(async () => (await ReplicasAsync(project.Directory, app)).Count(r => r.Service == "worker" && r.State == "running") == 3,
                "release 3's three workers running");
            var digests = await ReleaseDigestsAsync(project.Directory, app);
            Assert.Equal((first.Reference, two, first.Reference), (digests[1], digests[2], digests[3]));
        }
        finally
        {
            await lab.Cli.RunAsync(project.Directory, "rm", app);
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    [Fact]
    public async Task Deploy_BuildOnCluster_BuiltOnTheManagerPushedAndRunByDigestOnEveryNode()
    {
        await JoinLabAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("db");
        using var project = new TestProject(OnEveryNode("build: ."), ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo built-{app} > /stamp\n"));
        try
        {
            await RunIn(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            await AssertRunsByDigestOnEveryNodeAsync(manager, project.Directory, app, $"built-{app}");
        }
        finally
        {
            await lab.Cli.RunAsync(project.Directory, "rm", app);
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    [Fact]
    public async Task Push_BuildOnCluster_BuiltBeforeTheReleaseOnTheManagerAndRunByDigestOnEveryNode()
    {
        await JoinLabAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("dp");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", OnEveryNode("build: .")), ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo pushed-{app} > /stamp\n"));
        string? instance = null;
        try
        {
            var push = await tree.RunAsync("push", $"http://admin:{Uri.EscapeDataString(lab.Server.Token)}@127.0.0.1:{lab.Server.Port}/git/{app}.git", "main");
            Assert.True(push.ExitCode == 0, $"{push}\n--- server\n{lab.Server.Log}");
            // The push deploys into the push environment's instance (APP or APP-ENV, docs/decisions/0024).
            var services = (await ServicesAsync(manager, app)).Concat(await ServicesAsync(manager, $"{app}-staging")).ToList();
            var service = Assert.Single(services);
            instance = service.Spec.Labels![Gantry.Model.GantryLabels.App];
            Assert.StartsWith($"{SwarmLab.RegistryAddress(lab.Server.Port)}/default/{instance}-worker@sha256:", service.Spec.TaskTemplate.ContainerSpec.Image, StringComparison.Ordinal);
            await EventuallyAsync(async () =>
            {
                var tasks = (await manager.Tasks.ListAsync(new DockerFilters().Add("service", service.Id).Add("desired-state", "running")))
                    .Where(t => t.Status.State == "running").ToList();
                return tasks.Count == 3 && tasks.Select(t => t.NodeId).Distinct(StringComparer.Ordinal).Count() == 3;
            }, "the pushed build's three tasks running, one on each node");
        }
        finally
        {
            if (instance is not null)
            {
                await lab.Cli.RunAsync(Here, "rm", instance);
            }
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    [Fact]
    public async Task Deploy_RegistryTheManagerCannotReach_FailsNamingServiceImageAndAddress()
    {
        await JoinLabAsync();
        using var manager = SwarmLab.Client(1);
        var app = TestProject.UniqueApp("dx");
        var tag = $"gantry-it/only-on-manager:{app}";
        using var context = new TestProject("services: {}\n", ("Dockerfile", $"FROM gantry/busybox:1\nRUN echo {app} > /stamp\n"));
        await manager.Images.BuildFromDirectoryAsync(context.Directory, new ImageBuildOptions { Tags = [tag] });
        // A second server on the same manager whose registry address no engine reaches (nothing on the lab holds 10.99.0.250).
        await using var server = await GantryServerProcess.StartAsync(arguments: ["--engine", SwarmLab.Engine(1), "--registry-address", "10.99.0.250:5000"]);
        var cli = new CliRunner(server);
        using var project = new TestProject(OnEveryNode($"image: {tag}"));
        try
        {
            var failed = await cli.RunAsync(project.Directory, TimeSpan.FromMinutes(3), "deploy", "-f", "compose.yaml", "--app", app);
            Assert.NotEqual(0, failed.ExitCode);
            var said = failed.Output + failed.Error;
            Assert.Contains("could not push image", said, StringComparison.Ordinal);
            Assert.Contains(tag, said, StringComparison.Ordinal);
            Assert.Contains("service worker", said, StringComparison.Ordinal);
            Assert.Contains("10.99.0.250:5000", said, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Token, said, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Token, server.Log, StringComparison.Ordinal);
            Assert.Empty(await ServicesAsync(manager, app));
        }
        finally
        {
            await cli.RunAsync(project.Directory, "rm", app);
            await SwarmLab.LeaveEverySwarmAsync();
        }
    }

    /// <summary>The app's one Swarm service once only the one named <paramref name="suffix"/> is left: the image it names.</summary>
    private static async Task<string> SingleServiceImageAsync(DockerClient manager, string app, string suffix)
    {
        string? image = null;
        await EventuallyAsync(async () =>
        {
            var services = await ServicesAsync(manager, app);
            image = services.Count == 1 && services[0].Spec.Name.EndsWith(suffix, StringComparison.Ordinal) ? services[0].Spec.TaskTemplate.ContainerSpec.Image : null;
            return image is not null;
        }, $"only the service {app}{suffix}");
        return image!;
    }

    /// <summary>Each release's recorded digest of the worker, from `gantry releases --output json`.</summary>
    private async Task<Dictionary<long, string?>> ReleaseDigestsAsync(string directory, string app) =>
        System.Text.Json.JsonDocument.Parse((await RunIn(directory, "releases", app, "--output", "json")).Output).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("number").GetInt64(), r => r.GetProperty("services").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "worker").TryGetProperty("imageDigest", out var d) ? d.GetString() : null);

    private async Task JoinLabAsync()
    {
        await FormClusterAsync();
    }

    /// <summary>
    /// The worker's service names `10.99.0.1:PORT/default/APP-worker@sha256:...`; its three tasks run, one per node, each having
    /// printed <paramref name="stamp"/> (the image's own file); each node's engine holds the image by that digest; and the
    /// registry lists the digest under the release's tag.
    /// </summary>
    private async Task<(string Reference, string Digest)> AssertRunsByDigestOnEveryNodeAsync(DockerClient manager, string directory, string app, string stamp)
    {
        var repository = $"{SwarmLab.RegistryAddress(lab.Server.Port)}/default/{app}-worker";
        var service = (await ServicesAsync(manager, app)).Single();
        var reference = service.Spec.TaskTemplate.ContainerSpec.Image;
        Assert.StartsWith(repository + "@sha256:", reference, StringComparison.Ordinal);
        var digest = reference[(repository.Length + 1)..];

        await EventuallyAsync(async () =>
        {
            var workers = (await ReplicasAsync(directory, app)).Where(r => r.Service == "worker").ToList();
            return workers.Count == 3 && workers.All(r => r.State == "running")
                && workers.Select(r => r.Node).Order(StringComparer.Ordinal).SequenceEqual(["node1", "node2", "node3"]);
        }, "three workers running, one on each node");
        var tasks = await manager.Tasks.ListAsync(new DockerFilters().Add("service", service.Id).Add("desired-state", "running"));
        Assert.Equal(3, tasks.Count(t => t.Status.State == "running"));
        for (var node = 1; node <= 3; node++)
        {
            using var engine = SwarmLab.Client(node);
            Assert.NotNull(await engine.Images.TryInspectAsync(reference));
        }
        await EventuallyAsync(async () => LogStamps((await RunIn(directory, "logs", app, "worker", "--output", "json")).Output, stamp) == 3,
            "the image's stamp from all three workers in gantry logs");

        // The registry holds the manifest, under the release's tag, pushed by Gantry.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", lab.Server.Token);
        var listed = await http.GetStringAsync($"{lab.Server.Url}/api/v1/registry/repositories/default/{app}-worker");
        Assert.Contains(digest, listed, StringComparison.Ordinal);
        Assert.Contains("\"r1\"", listed, StringComparison.Ordinal);
        return (reference, digest);
    }

    private static int LogStamps(string output, string stamp) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("text").GetString() == stamp)
            .Select(l => l.GetProperty("replica").GetString())
            .Distinct(StringComparer.Ordinal)
            .Count();
}
