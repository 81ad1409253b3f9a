using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Hand-made uploads against the real server process (issue 15, finding 1 and 4): a bundle must never
/// write or read outside its directory, and a dry run must leave nothing behind.
/// </summary>
public sealed class BundleSecurityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Compose = "services:\n  web:\n    image: gantry/busybox:1\n";

    [Fact]
    public async Task Deploy_ChainedSymlinkEscape_RefusedAndNothingWrittenOutside()
    {
        var proof = $"gantry-{Guid.NewGuid():N}-escape-proof";
        var bundle = Tar(
            Link("a", "."),
            Link("a/a/a/a/a/a/a/x", "../../../../../../.."),
            File($"x/tmp/{proof}", "pwned"),
            File("compose.yaml", Compose));

        using var response = await DeployAsync(TestProject.UniqueApp("esc"), bundle, dryRun: true);
        var body = await response.Content.ReadAsStringAsync();

        Assert.False(System.IO.File.Exists(Path.Combine("/tmp", proof)), "the bundle wrote outside its directory");
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("a/a/a/a/a/a/a/x", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SecretThroughLinkToAdminToken_RefusedAndTokenNotMounted()
    {
        var app = TestProject.UniqueApp("tok");
        var bundle = Tar(
            Link("a", "."),
            Link("a/a/tok", "../../admin-token"),
            File("compose.yaml", Compose + "    secrets: [tok]\nsecrets:\n  tok:\n    file: ./tok\n"));

        using var response = await DeployAsync(app, bundle, dryRun: false);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("a/a/tok", body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.Token, body, StringComparison.Ordinal);
        Assert.Empty(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
    }

    [Fact]
    public async Task Deploy_DryRun_LeavesNothingUnderTheBundlesDirectory()
    {
        var bundles = Path.Combine(fixture.Server.DataDirectory, "bundles");
        var before = Listing(bundles);
        var bundle = Tar(File("compose.yaml", Compose), File("notes.txt", Guid.NewGuid().ToString()));

        using var response = await DeployAsync(TestProject.UniqueApp("dry"), bundle, dryRun: true);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Listing(bundles));
    }

    [Fact]
    public async Task Deploy_InvalidAppName_RefusedBeforeAnythingIsUnpacked()
    {
        var bundles = Path.Combine(fixture.Server.DataDirectory, "bundles");
        var before = Listing(bundles);
        var bundle = Tar(File("compose.yaml", Compose), File("notes.txt", Guid.NewGuid().ToString()));

        using var response = await DeployAsync("Not_A_Valid..Name", bundle, dryRun: false);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("not a valid app name", body, StringComparison.Ordinal);
        Assert.Equal(before, Listing(bundles));
    }

    [Fact]
    public async Task Deploy_SameProjectTwiceThenRemoved_OneBundleOneReleaseThenNothingLeft()
    {
        using var project = new TestProject("""
            services:
              idle:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
                configs:
                  - source: settings
                    target: /etc/settings
                deploy:
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            configs:
              settings:
                content: mode=fast
            """, ("notes.txt", "same content"));
        var app = TestProject.UniqueApp("same");
        var bundles = Path.Combine(fixture.Server.DataDirectory, "bundles");

        var first = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--env", "staging");
        Assert.True(first.ExitCode == 0, first.ToString());
        var afterFirst = Listing(bundles);
        // The same files again, with new modification times: other tar bytes, the same content.
        System.IO.File.SetLastWriteTimeUtc(Path.Combine(project.Directory, "notes.txt"), DateTime.UtcNow.AddMinutes(5));
        var second = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--env", "staging");
        Assert.True(second.ExitCode == 0, second.ToString());

        Assert.Equal(afterFirst, Listing(bundles));
        Assert.Contains(afterFirst, p => Path.GetFileName(p).Length == 64);
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.Token);
        var releases = await http.GetStringAsync($"/api/v1/apps/{app}/releases");
        Assert.Single(System.Text.Json.JsonDocument.Parse(releases).RootElement.EnumerateArray());

        var rm = await fixture.Cli.RunAsync(project.Directory, "rm", app);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        var collected = await EngineProbe.EventuallyAsync(() => Task.FromResult(Listing(bundles).Length == 0), TimeSpan.FromSeconds(60));
        Assert.True(collected, string.Join(", ", Listing(bundles)));
    }

    private async Task<HttpResponseMessage> DeployAsync(string app, byte[] bundle, bool dryRun)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.Token);
        using var form = new MultipartFormDataContent
        {
            { new StringContent($"{{\"files\":[\"compose.yaml\"],\"environment\":\"staging\",\"dryRun\":{(dryRun ? "true" : "false")}}}", Encoding.UTF8, "application/json"), "request" },
        };
        var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(content, "bundle", "bundle.tar.gz");
        return await http.PutAsync($"/api/v1/apps/{Uri.EscapeDataString(app)}", form);
    }

    private static string[] Listing(string directory) =>
        Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory).Order(StringComparer.Ordinal).ToArray() : [];

    private static TarEntry Link(string name, string target) => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static TarEntry File(string name, string text) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };

    private static byte[] Tar(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }
}
