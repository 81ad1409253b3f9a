using System.Net;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.LoadGen;
using Gantry.Model.Api;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>
/// Gantry's promise, measured: deploys and a rollback under constant load through a real router fail
/// no request, a rollback to warm replicas moves all traffic back, and a release that answers 500
/// after go-live is rolled back by itself.
/// </summary>
public sealed class ZeroDowntimeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    internal const string Marker = @"version=(v\d)";

    /// <summary>A routed busybox httpd that prints its version; both versions differ only in that word.</summary>
    internal static string Compose(string host, string version) => $$"""
        services:
          web:
            image: gantry/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo version={{version}} > /www/index.html && echo ok > /www/health && exec httpd -f -p 8080 -h /www"]
            init: true
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
              interval: 1s
              timeout: 2s
              retries: 3
            x-gantry:
              host: {{host}}
              port: 8080
              health: { path: /health, interval: 1s }
              drain-timeout: 20s
            deploy:
              replicas: 2
              resources:
                limits: { memory: 16M, cpus: "0.1" }
        """;

    [Fact]
    public async Task DeploysAndRollbackUnderLoad_NoRequestFails()
    {
        var app = TestProject.UniqueApp("zdt");
        var host = $"{app}.localhost";
        using var project = new TestProject(Compose(host, "v1"), ("v2.yaml", Compose(host, "v2")));
        await using var router = await StartRouterAsync();
        try
        {
            await DeployAsync(project, app, "compose.yaml");
            await WaitForVersionAsync(router, host, "v1");

            // The pre-deploy check says what the next deploy will start, move and keep, and changes nothing.
            var check = await fixture.Cli.RunAsync(project.Directory, "deploy", "--check", "-f", "v2.yaml", "--app", app);
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains("web: blue-green: starts 2 x gantry/busybox:1", check.Output, StringComparison.Ordinal);
            Assert.Contains("keeps the old ones warm 10m", check.Output, StringComparison.Ordinal);

            await using var load = LoadRunner.Start(new LoadOptions
            {
                Url = new Uri($"http://127.0.0.1:{router.ExternalHttpPort}/"),
                Host = host,
                Concurrency = 6,
                MarkerPattern = Marker,
                Timeout = TimeSpan.FromSeconds(10),
            });
            await Task.Delay(TimeSpan.FromSeconds(1));

            foreach (var (file, version) in new[] { ("v2.yaml", "v2"), ("compose.yaml", "v1"), ("v2.yaml", "v2") })
            {
                load.Mark($"deploy {version}");
                await DeployAsync(project, app, file);
                Assert.True(await AllTrafficOnAsync(load, version), $"traffic did not move to {version} after the deploy");
            }

            load.Mark("rollback");
            var rollbackAt = load.Now;
            var rollback = await fixture.Cli.RunAsync(project.Directory, "rollback", app);
            Assert.True(rollback.ExitCode == 0, rollback + "\n" + fixture.Server.Log);
            Assert.Contains("warm", rollback.Output, StringComparison.Ordinal);
            Assert.True(await AllTrafficOnAsync(load, "v1"), "traffic did not move back to v1 after the rollback");
            load.Mark("steady");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await load.StopAsync();

            var report = load.Report();
            var failures = string.Join("\n", report.Failures.Select(f => LoadReportText.Failure(f, report.Started)));
            Assert.True(report.Failed == 0, $"{report.Failed} of {report.Total} requests failed:\n{failures}\n{fixture.Server.Log}");
            Assert.True(report.Served > 100, $"only {report.Served} requests were served");
            Assert.NotNull(report.TimeUntilAllMarked(rollbackAt, "v1"));

            // Four releases plus the rollback, which names the release it restores.
            var releases = await fixture.Cli.RunAsync(project.Directory, "releases", app, "--output", "json");
            Assert.True(releases.ExitCode == 0, releases.ToString());
            var list = JsonSerializer.Deserialize(releases.Output, ApiJsonContext.Default.IReadOnlyListReleaseView)!;
            Assert.Equal(5, list.Count);
            Assert.Equal("rollback", list[0].Cause);
            Assert.Equal(3, list[0].RollbackOf);
            Assert.True(list[0].Current);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task ReleaseAnswering500AfterGoLive_IsRolledBackAutomatically()
    {
        var app = TestProject.UniqueApp("arb");
        var host = $"{app}.localhost";
        var good = Compose(host, "v1").Replace("drain-timeout: 20s", "auto-rollback: { window: 60s, min-requests: 10 }", StringComparison.Ordinal);
        // v2 passes its health check but answers every page with a 500 (busybox httpd runs cgi-bin/index.cgi when index.html is missing).
        var bad = good.Replace(
            "echo version=v1 > /www/index.html",
            "mkdir -p /www/cgi-bin && cp /cfg/index.cgi /www/cgi-bin/ && chmod +x /www/cgi-bin/index.cgi",
            StringComparison.Ordinal).Replace("    deploy:\n", "    configs: [{ source: boom, target: /cfg/index.cgi }]\n    deploy:\n", StringComparison.Ordinal) + """

            configs:
              boom:
                content: |
                  #!/bin/sh
                  printf 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 11\r\n\r\nversion=v2\n'
            """;
        using var project = new TestProject(good, ("bad.yaml", bad));
        await using var router = await StartRouterAsync();
        try
        {
            await DeployAsync(project, app, "compose.yaml");
            await WaitForVersionAsync(router, host, "v1");
            await using var load = LoadRunner.Start(new LoadOptions
            {
                Url = new Uri($"http://127.0.0.1:{router.ExternalHttpPort}/"),
                Host = host,
                Concurrency = 2,
                MarkerPattern = Marker,
            });
            await Task.Delay(TimeSpan.FromSeconds(3));

            await DeployAsync(project, app, "bad.yaml");
            var rolledBack = await EngineProbe.EventuallyAsync(async () =>
            {
                var releases = await fixture.Cli.RunAsync(project.Directory, "releases", app, "--output", "json");
                var list = releases.ExitCode == 0 ? JsonSerializer.Deserialize(releases.Output, ApiJsonContext.Default.IReadOnlyListReleaseView)! : [];
                return list.Count > 0 && list[0].Cause == "auto-rollback" && list[0].Current;
            }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            Assert.True(rolledBack, "release 2 answered 500s and was not rolled back\n" + fixture.Server.Log);
            Assert.True(await AllTrafficOnAsync(load, "v1"), "traffic did not return to v1");

            var shown = await fixture.Cli.RunAsync(project.Directory, "release", app, "2", "--output", "json");
            var release = JsonSerializer.Deserialize(shown.Output, ApiJsonContext.Default.ReleaseView)!;
            Assert.Equal("rolled-back", release.Phase);
            Assert.Contains("error rate", release.Reason, StringComparison.Ordinal);
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app);
            Assert.Contains("AutoRollback", events.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    private async Task<RunningRouter> StartRouterAsync() => await RouterHost.StartAsync(fixture.Server.RouterOptions());

    private async Task DeployAsync(TestProject project, string app, string file)
    {
        var deploy = await fixture.Cli.RunAsync(project.Directory, TimeSpan.FromMinutes(3), "deploy", "-f", file, "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy + "\n" + fixture.Server.Log);
    }

    internal static async Task WaitForVersionAsync(RunningRouter router, string host, string version)
    {
        using var http = new HttpClient();
        var routed = await EngineProbe.EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains($"version={version}", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));
        Assert.True(routed, $"the router never served {version}");
    }

    /// <summary>True once every request started in the last second carried the version (the swap happened and held).</summary>
    internal static async Task<bool> AllTrafficOnAsync(LoadRun load, string version) =>
        await EngineProbe.EventuallyAsync(() =>
        {
            var now = load.Now;
            var recent = load.Snapshot().Records.Where(r => r.Start >= now.AddSeconds(-1)).ToList();
            return Task.FromResult(recent.Count > 0 && recent.All(r => r.Marker == version));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
}
