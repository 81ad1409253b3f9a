using System.Net;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>Requests through a real router reach the server's request log and `gantry requests` shows them.</summary>
public sealed class RequestReportingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Requests_ThroughRouter_ShownBySlowestWithReplica()
    {
        var app = TestProject.UniqueApp("reqs");
        var host = $"{app}.localhost";
        using var project = new TestProject($$"""
            services:
              web:
                image: gantry/busybox:1
                command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
                init: true
                x-gantry: { host: {{host}}, port: 8080 }
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
            """);
        await using var router = await RouterHost.StartAsync(fixture.Server.RouterOptions());
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        try
        {
            using var http = new HttpClient();
            var ok = 0;
            var routed = await EngineProbe.EventuallyAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/hostname");
                request.Headers.Host = host;
                using var response = await http.SendAsync(request);
                ok += response.IsSuccessStatusCode ? 1 : 0;
                return ok >= 3;
            }, TimeSpan.FromSeconds(30));
            Assert.True(routed, "the router did not answer 3 requests for the app");

            // The router reports every ~2 s.
            IReadOnlyList<RequestView> shown = [];
            CliResult result = null!;
            var reported = await EngineProbe.EventuallyAsync(async () =>
            {
                result = await fixture.Cli.RunAsync(project.Directory, "requests", app, "--slowest", "5", "--output", "json");
                shown = result.ExitCode == 0 ? JsonSerializer.Deserialize(result.Output, ApiJsonContext.Default.IReadOnlyListRequestView)! : [];
                return shown.Count(r => r.Status == 200) >= 3;
            }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
            Assert.True(reported, result.ToString());

            Assert.InRange(shown.Count, 3, 5);
            Assert.All(shown.Where(r => r.Status == 200), r =>
            {
                Assert.Equal(host, r.Host);
                Assert.Equal("/hostname", r.Path);
                Assert.StartsWith($"{app}-web-", r.Replica, StringComparison.Ordinal);
                Assert.Equal("web", r.Service);
                Assert.Matches("^[0-9a-f]{32}$", r.TraceId);
            });
            Assert.Equal(shown.OrderByDescending(r => r.TotalMs).Select(r => r.TotalMs), shown.Select(r => r.TotalMs));

            var routes = await fixture.Cli.RunAsync(project.Directory, "routes", "--output", "json");
            Assert.True(routes.ExitCode == 0, routes.ToString());
            var route = Assert.Single(JsonSerializer.Deserialize(routes.Output, ApiJsonContext.Default.IReadOnlyListRouteStatsView)!, r => r.Hosts.Contains(host));
            Assert.Equal((app, "web", 1), (route.App, route.Service, route.Destinations));
            Assert.True(route.Status2xx >= 3, $"2xx = {route.Status2xx}");
            Assert.NotNull(route.P99Ms);
        }
        finally
        {
            var rm = await fixture.Cli.RunAsync(project.Directory, "rm", app);
            Assert.True(rm.ExitCode == 0, rm.ToString());
        }
    }
}
