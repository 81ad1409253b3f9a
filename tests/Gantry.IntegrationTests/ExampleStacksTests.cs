using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 16 through the real server and CLI: every stack in examples/stacks passes `gantry deploy --check` (the privileged ones
/// on a server that allows exactly their apps), a privileged stack of an app the admin did not allow is refused with the way
/// to allow it, and deploys of a representative subset create containers whose inspection shows the keys.
/// </summary>
public sealed class ExampleStacksTests(ExampleStacksTests.Fixture fixture) : IClassFixture<ExampleStacksTests.Fixture>
{
    /// <summary>A server that allows privileged keys for this run's apps of the stacks that say they need them; the stacks' images tagged from busybox.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public string Run { get; } = Guid.NewGuid().ToString("N")[..4];

        public GantryServerProcess Server { get; private set; } = null!;

        public CliRunner Cli { get; private set; } = null!;

        public string App(string stack) => $"{stack}-{Run}";

        public async Task InitializeAsync()
        {
            await TagImagesAsync();
            var privileged = Stacks().Where(NeedsPrivilege).Select(App);
            Server = await GantryServerProcess.StartAsync(new Dictionary<string, string> { ["GANTRY_ALLOW_PRIVILEGE"] = string.Join(',', privileged) });
            Cli = new CliRunner(Server);
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();

        // The stacks name their images under gantry-stacks/, a namespace only these tests use, so tagging them on the shared
        // engine changes nothing another test can see.
        private static async Task TagImagesAsync()
        {
            await using var docker = DockerClient.FromEnvironment();
            var images = Stacks().SelectMany(s => File.ReadAllLines(Path.Combine(Dir(s), "compose.yaml")))
                .Select(l => l.Trim()).Where(l => l.StartsWith("image: gantry-stacks/", StringComparison.Ordinal))
                .Select(l => l["image: ".Length..]).Distinct(StringComparer.Ordinal);
            foreach (var image in images)
            {
                var colon = image.LastIndexOf(':');
                await docker.Images.TagAsync("gantry/busybox:1", image[..colon], image[(colon + 1)..]);
            }
        }
    }

    public static IEnumerable<string> Stacks() =>
        Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "examples", "stacks")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    private static string Dir(string stack) => Path.Combine(RepositoryPaths.Root, "examples", "stacks", stack);

    private static bool NeedsPrivilege(string stack) =>
        File.ReadAllText(Path.Combine(Dir(stack), "compose.yaml")).Contains("--allow-privilege", StringComparison.Ordinal);

    [Fact]
    public async Task Check_EveryStack_IsAccepted()
    {
        var failures = new List<string>();
        foreach (var stack in Stacks())
        {
            var result = await fixture.Cli.RunAsync(Dir(stack), "deploy", "-f", "compose.yaml", "--app", fixture.App(stack), "--check");
            if (result.ExitCode != 0)
            {
                failures.Add($"{stack}: {result}");
            }
        }
        Assert.True(Stacks().Count() >= 20);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Check_PrivilegedStackOfAnAppNotAllowed_IsRefusedWithTheWayToAllowIt()
    {
        var app = "wg-" + Guid.NewGuid().ToString("N")[..6];
        var result = await fixture.Cli.RunAsync(Dir("wireguard"), "deploy", "-f", "compose.yaml", "--app", app, "--check");
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("services.wireguard.cap_add[0]", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Contains($"gantry server --allow-privilege {app}, or GANTRY_ALLOW_PRIVILEGE={app}", result.Error + result.Output, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, ContainerInspectResponse>> DeployAsync(string stack)
    {
        var app = fixture.App(stack);
        var result = await fixture.Cli.RunAsync(Dir(stack), "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(result.ExitCode == 0, $"{stack}: {result}\n--- server\n{fixture.Server.Log}");
        var containers = await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app);
        return containers.GroupBy(c => c.Config.Labels!["gantry.service"]).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Deploy_WikiAndVaultwarden_ContainersShowTheirKeys()
    {
        var wiki = await DeployAsync("wiki-bookstack");
        Assert.Equal("wiki", wiki["bookstack"].Config.Hostname);
        Assert.Equal(("json-file", "20m", "5"), (wiki["bookstack"].HostConfig.LogConfig!.Type, wiki["bookstack"].HostConfig.LogConfig!.Config!["max-size"], wiki["bookstack"].HostConfig.LogConfig!.Config!["max-file"]));
        Assert.Equal(["no-new-privileges:true"], wiki["bookstack"].HostConfig.SecurityOpt);
        Assert.Equal(new Ulimit { Name = "nofile", Soft = 8192, Hard = 16384 }, Assert.Single(wiki["db"].HostConfig.Ulimits!));
        Assert.Equal(("json-file", "10m"), (wiki["db"].HostConfig.LogConfig!.Type, wiki["db"].HostConfig.LogConfig!.Config!["max-size"]));

        var vault = (await DeployAsync("vaultwarden"))["vaultwarden"];
        Assert.True(vault.HostConfig.ReadonlyRootfs);
        Assert.Equal("rw,noexec,nosuid,nodev,size=16777216", vault.HostConfig.Tmpfs!["/tmp"]);
        Assert.Equal(["ALL"], vault.HostConfig.CapDrop);
        Assert.Equal(["CHOWN", "SETUID", "SETGID"], vault.HostConfig.CapAdd);
        Assert.Equal(100L, vault.HostConfig.PidsLimit);
        Assert.Equal("running", vault.State.Status);
    }

    [Fact]
    public async Task Deploy_NextcloudAndLegacyWordpress_ContainersShowTheirKeys()
    {
        var cloud = await DeployAsync("nextcloud-mariadb-redis");
        Assert.Equal((1L << 30, 2L << 30), (cloud["app"].HostConfig.Memory, cloud["app"].HostConfig.MemorySwap));
        Assert.True(cloud["cron"].HostConfig.Init);
        Assert.Equal("1024", cloud["redis"].HostConfig.Sysctls!["net.core.somaxconn"]);
        Assert.True(cloud["redis"].HostConfig.ReadonlyRootfs);
        Assert.All(cloud.Values, c => Assert.Equal("running", c.State.Status));

        var blog = await DeployAsync("blog-wordpress-legacy");
        Assert.Contains("mysql", blog["db"].NetworkSettings.Networks!.Values.Single().Aliases!);
        Assert.Equal(512L, blog["db"].HostConfig.CpuShares);
    }

    [Fact]
    public async Task Deploy_TorrentBehindVpn_SharesTheVpnNetworkStackWithItsPrivileges()
    {
        var stack = await DeployAsync("torrent-behind-vpn");
        Assert.Equal(["NET_ADMIN"], stack["vpn"].HostConfig.CapAdd);
        Assert.Equal("/dev/net/tun", Assert.Single(stack["vpn"].HostConfig.Devices!).PathOnHost);
        Assert.Equal("container:" + stack["vpn"].Id, stack["qbittorrent"].HostConfig.NetworkMode);
        Assert.Equal("running", stack["qbittorrent"].State.Status);
    }

    [Fact]
    public async Task Check_PullPolicyNeverAndTheImageMissing_IsRefusedWithoutPulling()
    {
        using var project = new TestProject("services:\n  web:\n    image: gantry-stacks/not-here:1.0\n    pull_policy: never\n");
        var result = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", TestProject.UniqueApp("never"), "--check");
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("compose.yaml:3", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Contains("is not on the engine and pull_policy is 'never'", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PlatformTheEngineDoesNotRun_IsRefusedAtItsLine()
    {
        using var project = new TestProject("services:\n  web:\n    image: gantry-stacks/postgres:16.3\n    platform: linux/arm64\n");
        var result = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", TestProject.UniqueApp("arm"), "--check");
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("compose.yaml:4", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Contains("platform 'linux/arm64' does not match the engine, which runs linux/amd64", result.Error + result.Output, StringComparison.Ordinal);
    }
}
