using System.Text.Json;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Clients;

/// <summary>skopeo (containers/image) against the registry: docker-daemon and oci-layout in and out, inspect, delete.</summary>
public sealed class SkopeoClientTests : IAsyncLifetime
{
    private const string Creds = "gdr:s3cret";
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(
        o => o with { RequireAuth = true },
        s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator().Add("gdr", "s3cret")));

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task SkopeoCopy_DaemonToRegistryToOciLayoutAndBack_InspectAndDelete()
    {
        await using TestImage image = await TestImage.BuildAsync();
        string repo = $"{_registry.HostPort}/gdr-{image.Nonce}/sk";
        string layout = Path.Combine(Path.GetTempPath(), "gdr-oci-" + image.Nonce);
        try
        {
            await ProcessRunner.MustAsync("skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", Creds, $"docker-daemon:{image.Tag}", $"docker://{repo}:v1"]);

            string inspect = await ProcessRunner.MustAsync("skopeo", ["inspect", "--tls-verify=false", "--creds", Creds, $"docker://{repo}:v1"]);
            using (JsonDocument doc = JsonDocument.Parse(inspect))
            {
                Assert.Equal(4, doc.RootElement.GetProperty("Layers").GetArrayLength());
            }

            await ProcessRunner.MustAsync("skopeo", ["copy", "--src-tls-verify=false", "--src-creds", Creds, $"docker://{repo}:v1", $"oci:{layout}:v1"]);
            Assert.True(File.Exists(Path.Combine(layout, "index.json")));

            // The OCI layout goes back as an OCI image manifest under another tag.
            await ProcessRunner.MustAsync("skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", Creds, $"oci:{layout}:v1", $"docker://{repo}:from-oci"]);
            string raw = await ProcessRunner.MustAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", "--creds", Creds, $"docker://{repo}:from-oci"]);
            Assert.Contains("application/vnd.oci.image.manifest.v1+json", raw, StringComparison.Ordinal);

            await ProcessRunner.MustAsync("skopeo", ["delete", "--tls-verify=false", "--creds", Creds, $"docker://{repo}:v1"]);
            (int code, string output) = await ProcessRunner.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--creds", Creds, $"docker://{repo}:v1"]);
            Assert.NotEqual(0, code);
            Assert.Contains("manifest unknown", output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            if (Directory.Exists(layout))
            {
                Directory.Delete(layout, recursive: true);
            }
        }
    }
}
