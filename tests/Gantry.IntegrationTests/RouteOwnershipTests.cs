using System.Net;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>Issue 15, finding 3: a second app claiming a routed host is refused, and routing keeps working for the next app.</summary>
public sealed class RouteOwnershipTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string Compose(string host) => $$"""
        services:
          web:
            image: gantry/busybox:1
            command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            init: true
            x-gantry:
              host: {{host}}
              port: 8080
              health: { path: /hostname, interval: 1s }
            deploy:
              resources:
                limits: { memory: 16M, cpus: "0.1" }
        """;

    [Fact]
    public async Task Deploy_SecondAppClaimsARoutedHost_RefusedNamingTheOwnerAndAThirdAppStillRoutes()
    {
        var a = TestProject.UniqueApp("owner");
        var b = TestProject.UniqueApp("claimant");
        var c = TestProject.UniqueApp("third");
        var taken = $"{a}.localhost";
        await using var router = await RouterHost.StartAsync(fixture.Server.RouterOptions() with
        {
            StateDirectory = Path.Combine(fixture.Server.DataDirectory, "router-" + a),
        });
        using var first = new TestProject(Compose(taken));
        // The claimant spells the host as a fully qualified name in capitals: still the same host.
        using var second = new TestProject(Compose(taken.ToUpperInvariant() + "."));
        using var third = new TestProject(Compose($"{c}.localhost"));
        try
        {
            var deployA = await fixture.Cli.RunAsync(first.Directory, "deploy", "-f", "compose.yaml", "--app", a);
            Assert.True(deployA.ExitCode == 0, deployA.ToString());

            var check = await fixture.Cli.RunAsync(second.Directory, "deploy", "-f", "compose.yaml", "--app", b, "--check");
            var deployB = await fixture.Cli.RunAsync(second.Directory, "deploy", "-f", "compose.yaml", "--app", b);
            foreach (var refused in new[] { check, deployB })
            {
                Assert.True(refused.ExitCode != 0, refused.ToString());
                var text = refused.Output + refused.Error;
                Assert.Contains($"app '{a}'", text, StringComparison.Ordinal);
                Assert.Contains($"'{taken}'", text, StringComparison.Ordinal);
                Assert.Contains("compose.yaml", text, StringComparison.Ordinal);
            }

            var apps = await fixture.Cli.RunAsync(first.Directory, "apps");
            Assert.DoesNotContain(b, apps.Output, StringComparison.Ordinal);

            var deployC = await fixture.Cli.RunAsync(third.Directory, "deploy", "-f", "compose.yaml", "--app", c);
            Assert.True(deployC.ExitCode == 0, deployC.ToString());
            Assert.True(await AnswersAsync(router, $"{c}.localhost"), $"{c} is not routed");
            Assert.True(await AnswersAsync(router, taken), $"{a} lost its host");
            Assert.Empty(router.CaptureStatus().Rejected);
        }
        finally
        {
            await fixture.Cli.RunAsync(first.Directory, "rm", a);
            await fixture.Cli.RunAsync(third.Directory, "rm", c);
        }
    }

    private static async Task<bool> AnswersAsync(RunningRouter router, string host)
    {
        using var http = new HttpClient();
        return await EngineProbe.EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/hostname");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30));
    }
}
