using System.Text.Json;
using Gantry.Compose.HostPaths;
using Gantry.Compose.Privilege;
using Gantry.Model;
using Xunit.Abstractions;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>The awesome-compose sample stacks: each loads, or is refused only for features Gantry does not support or for host paths outside the project.</summary>
public sealed class AwesomeComposeTests(ITestOutputHelper output)
{
    // What a user running these samples would have set in their shell.
    private static readonly Dictionary<string, string> UserEnvironment = new() { ["HOME"] = "/home/dev", ["PLEX_MEDIA_PATH"] = "/srv/media" };

    // Every refusal is a policy the admin can lift, and the message says how (issue 16: no key refuses an awesome-compose file).
    private static readonly string[] ExpectedRefused =
    [
        "minecraft.yaml", // a bind of ~/minecraft_data, outside the project (host path policy)
        "pihole-cloudflared-DoH.yaml", // binds of /etc/pihole and /etc/dnsmasq.d (host path policy), cap_add NET_ADMIN (privilege policy)
        "plex.yaml", // network_mode: host (privilege policy)
        "portainer.yaml", // a bind of the Docker socket (host path policy)
        "traefik-golang.yaml", // a bind of the Docker socket (host path policy)
        "wireguard.yaml", // cap_add NET_ADMIN, SYS_MODULE (privilege policy), binds of /lib/modules and /usr/src (host path policy)
    ];

    // What an admin who trusts these stacks would allow on the server.
    private static readonly HostPathPolicy AdminHostPaths = new() { AllowedPaths = ["/home/dev", "/srv/media", "/etc/pihole", "/etc/dnsmasq.d", "/usr/share/appdata", "/usr/src", "/lib/modules", "/var/run/docker.sock"] };

    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(CorpusPaths.Root, "awesome-compose"))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static ComposeLoadResult Load(string file, string? content = null) =>
        ComposeLoader.Load(new ComposeLoadOptions { Files = [new ComposeSource(file, content)], Environment = UserEnvironment });

    [Fact]
    public void Load_EveryAwesomeComposeFile_LoadsOrIsRefusedOnlyByAPolicyTheAdminCanLift()
    {
        var loaded = new List<string>();
        var refused = new List<string>();
        foreach (var file in Files())
        {
            var result = Load(file);
            var name = Path.GetFileName(file);
            foreach (var d in result.Errors)
            {
                output.WriteLine($"{name}: {d}");
            }
            Assert.All(result.Errors, e => Assert.True(
                e.Message.Contains("gantry server --allow-host-path /", StringComparison.Ordinal) || e.Message.Contains("gantry server --allow-privilege awesome-compose", StringComparison.Ordinal),
                e.ToString()));
            (result.Succeeded ? loaded : refused).Add(name);
        }
        output.WriteLine($"loaded {loaded.Count}, refused {refused.Count}: {string.Join(" ", refused)}");
        Assert.Equal((33, 6), (loaded.Count, refused.Count));
        Assert.Equal(ExpectedRefused, refused);
    }

    [Theory]
    [InlineData("minecraft.yaml", "/home/dev/minecraft_data")]
    [InlineData("portainer.yaml", "/var/run/docker.sock")]
    [InlineData("traefik-golang.yaml", "/var/run/docker.sock")]
    public void Load_HostPathAllowedByTheAdmin_Loads(string file, string allowed)
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(CorpusPaths.Root, "awesome-compose", file))],
            Environment = UserEnvironment,
            HostPaths = new HostPathPolicy { AllowedPaths = [allowed] },
        });

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Load_EveryFileWithThePoliciesLifted_Loads()
    {
        foreach (var file in Files())
        {
            var result = ComposeLoader.Load(new ComposeLoadOptions
            {
                Files = [new ComposeSource(file)],
                Environment = UserEnvironment,
                HostPaths = AdminHostPaths,
                Privilege = new PrivilegePolicy { AllowedApps = ["awesome-compose"] },
            });
            Assert.True(result.Succeeded, $"{Path.GetFileName(file)}: {string.Join("\n", result.Diagnostics)}");
        }
    }

    [Fact]
    public void Load_PlexWithHostNetworkAllowed_RunsOnTheHostStackWithNoNetworks()
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(CorpusPaths.Root, "awesome-compose", "plex.yaml"))],
            Environment = UserEnvironment,
            HostPaths = AdminHostPaths,
            Privilege = new PrivilegePolicy { AllowedApps = ["*"] },
        });
        var plex = Assert.Single(result.App!.Services);
        Assert.Equal("host", plex.NetworkMode);
        Assert.Empty(plex.Networks);
        Assert.Empty(result.App.Networks);
    }

    [Fact]
    public void Load_LoadedApps_HaveImagesAndDeclaredNetworks()
    {
        foreach (var file in Files().Where(f => !ExpectedRefused.Contains(Path.GetFileName(f))))
        {
            var app = Load(file).App!;
            Assert.True(Names.IsValidAppName(app.Name));
            Assert.All(app.Services, s => Assert.False(string.IsNullOrEmpty(s.Image), $"{file}: {s.Name} has no image"));
            Assert.All(app.Services, s => Assert.NotEmpty(s.Networks));
            var used = app.Services.SelectMany(s => s.Networks).Select(n => n.Network).ToHashSet();
            Assert.All(used, n => Assert.Contains(app.Networks, declared => declared.Name == n));
        }
    }

    [Fact]
    public void Load_SameFilesTwice_SerialiseToTheSameBytes()
    {
        foreach (var file in Files())
        {
            var first = Load(file).App;
            var second = Load(file).App;
            Assert.Equal(
                first is null ? "" : JsonSerializer.Serialize(first, ModelJsonContext.Default.AppSpec),
                second is null ? "" : JsonSerializer.Serialize(second, ModelJsonContext.Default.AppSpec));
        }
    }

    [Fact]
    public void Load_TruncatedAndMangledFiles_NeverCrash()
    {
        var cases = 0;
        foreach (var file in Files())
        {
            var text = File.ReadAllText(file);
            for (var cut = 1; cut < text.Length; cut += Math.Max(1, text.Length / 23))
            {
                foreach (var variant in new[] { text[..cut], text[..cut] + "\n  - [\n", text.Remove(cut, 1), text.Insert(cut, "$"), text.Insert(cut, ":") })
                {
                    var result = Load(file, variant);
                    cases++;
                    Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("internal error", StringComparison.Ordinal));
                    Assert.Equal(result.App is null, result.Errors.Any());
                }
            }
        }
        output.WriteLine($"{cases} mangled inputs loaded without a crash");
    }
}
