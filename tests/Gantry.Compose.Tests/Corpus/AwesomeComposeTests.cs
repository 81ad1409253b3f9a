using System.Text.Json;
using Gantry.Compose.HostPaths;
using Gantry.Model;
using Xunit.Abstractions;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>The awesome-compose sample stacks: each loads, or is refused only for features Gantry does not support or for host paths outside the project.</summary>
public sealed class AwesomeComposeTests(ITestOutputHelper output)
{
    // What a user running these samples would have set in their shell.
    private static readonly Dictionary<string, string> UserEnvironment = new() { ["HOME"] = "/home/dev", ["PLEX_MEDIA_PATH"] = "/srv/media" };

    private static readonly string[] ExpectedRefused =
    [
        "minecraft.yaml", // a bind of ~/minecraft_data, outside the project (host path policy)
        "nginx-nodejs-redis.yaml", // hostname
        "pihole-cloudflared-DoH.yaml", // cap_add, networks.ipam
        "plex.yaml", // network_mode: host
        "portainer.yaml", // a bind of the Docker socket (host path policy)
        "react-express-mongodb.yaml", // stdin_open
        "traefik-golang.yaml", // a bind of the Docker socket (host path policy)
        "wasmedge-kafka-mysql.yml", // platform, runtime
        "wasmedge-mysql-nginx.yml", // platform, runtime
        "wireguard.yaml", // cap_add, sysctls
    ];

    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(CorpusPaths.Root, "awesome-compose"))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static ComposeLoadResult Load(string file, string? content = null) =>
        ComposeLoader.Load(new ComposeLoadOptions { Files = [new ComposeSource(file, content)], Environment = UserEnvironment });

    [Fact]
    public void Load_EveryAwesomeComposeFile_LoadsOrIsRefusedOnlyForUnsupportedFeaturesOrHostPaths()
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
                e.Message.Contains("not supported by Gantry", StringComparison.Ordinal) || e.Message.Contains("gantry server --allow-host-path", StringComparison.Ordinal),
                e.ToString()));
            (result.Succeeded ? loaded : refused).Add(name);
        }
        output.WriteLine($"loaded {loaded.Count}, refused {refused.Count}: {string.Join(" ", refused)}");
        Assert.Equal((29, 10), (loaded.Count, refused.Count));
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
