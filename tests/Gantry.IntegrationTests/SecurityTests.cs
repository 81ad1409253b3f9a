using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>Issue 15, findings 5 and 6: secrets outside `environment` stay masked in every view; error bodies carry no internals.</summary>
public sealed class SecurityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Secret = "hunter2xyz";

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.Token);
        return http;
    }

    [Fact]
    public async Task GetApp_SecretInCommandAndLabel_NeverShownButKeptForTheEngine()
    {
        using var project = new TestProject($$"""
            services:
              db:
                image: gantry/busybox:1
                command: ["sh", "-c", "sleep 3600", "--db-password", "{{Secret}}"]
                init: true
                labels:
                  db.password: {{Secret}}
                  team: shop
                healthcheck:
                  test: ["CMD-SHELL", "true --token={{Secret}}"]
                  interval: 1s
                environment:
                  DB_PASSWORD: {{Secret}}
                  LOG_LEVEL: info
            """);
        var app = TestProject.UniqueApp("mask");

        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = Api();
        var detail = await http.GetStringAsync($"/api/v1/apps/{app}");
        Assert.DoesNotContain(Secret, detail, StringComparison.Ordinal);
        Assert.Contains("--db-password", detail, StringComparison.Ordinal);
        Assert.Contains("\"team\":\"shop\"", detail, StringComparison.Ordinal);
        Assert.Contains("\"LOG_LEVEL\":\"info\"", detail, StringComparison.Ordinal);

        var release = await http.GetStringAsync($"/api/v1/apps/{app}/releases/1");
        Assert.DoesNotContain(Secret, release, StringComparison.Ordinal);
        var events = await http.GetStringAsync($"/api/v1/apps/{app}/events");
        Assert.DoesNotContain(Secret, events, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, deploy.Output + deploy.Error, StringComparison.Ordinal);

        // Masking is for the views: the container runs with the real values.
        var container = Assert.Single(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
        Assert.Contains(Secret, container.Config.Cmd!);
        Assert.Equal(Secret, container.Config.Labels!["db.password"]);
    }

    [Fact]
    public async Task Deploy_RequestWithNullVariables_CleanAnswerWithoutInternals()
    {
        var app = TestProject.UniqueApp("novars");
        using var http = Api();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("""{"files":["compose.yaml"],"variables":null,"profiles":null,"environment":null,"dryRun":true}""", Encoding.UTF8, "application/json"), "request" },
            { new ByteArrayContent(Bundle("services:\n  web:\n    image: gantry/busybox:1\n    command: [\"sleep\", \"3600\"]\n")), "bundle", "bundle.tar.gz" },
        };

        using var response = await http.PutAsync($"/api/v1/apps/{app}", form);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_MalformedRequestJson_400WithoutDotnetTypeNames()
    {
        var app = TestProject.UniqueApp("badjson");
        using var http = Api();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("""{"variables":["not","a","map"]}""", Encoding.UTF8, "application/json"), "request" },
            { new ByteArrayContent(Bundle("services: {}\n")), "bundle", "bundle.tar.gz" },
        };

        using var response = await http.PutAsync($"/api/v1/apps/{app}", form);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.variables", body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    private static byte[] Bundle(string compose)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "compose.yaml") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(compose)) };
            tar.WriteEntry(entry);
        }
        return output.ToArray();
    }
}
