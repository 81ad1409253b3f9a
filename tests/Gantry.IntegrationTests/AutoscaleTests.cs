using System.Diagnostics;
using System.Net;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;
using Gantry.Router.Hosting;
using Xunit.Abstractions;

namespace Gantry.IntegrationTests;

/// <summary>
/// The autoscaler against a real dockerd: the sampler's readings of real containers move the replica count through the
/// same guarded scale as `gantry scale`, each change an event with its numbers, shown by `gantry autoscale`.
/// </summary>
public sealed class AutoscaleTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Autoscale_IdleServiceAtZero_TheRouterHoldsTheFirstRequestUntilAReplicaServesIt()
    {
        var app = TestProject.UniqueApp("autoscale-zero");
        var host = $"{app}.localhost";
        using var project = new TestProject($$"""
            services:
              web:
                image: gantry/busybox:1
                command: ["sh", "-c", "mkdir -p /www && echo awake > /www/index.html && exec httpd -f -p 8080 -h /www"]
                init: true
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
                x-gantry:
                  host: {{host}}
                  port: 8080
                  drain-timeout: 2s
                  autoscale: { min: 0, max: 2, rps: 50, idle: 15s }
            """);
        await using var router = await RouterHost.StartAsync(fixture.Server.RouterOptions());
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            async Task<HttpResponseMessage> GetAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/");
                request.Headers.Host = host;
                return await http.SendAsync(request);
            }
            Assert.True(await EngineProbe.EventuallyAsync(async () => (await GetAsync()).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)), "never served through the router");

            // No request for the idle time: the autoscaler stops every replica.
            Assert.True(await EventuallyEventAsync(project, app, EventReasons.Autoscaled, TimeSpan.FromSeconds(90)), "never scaled to zero\n" + fixture.Server.Log);
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("no request for 15s: 1 -> 0", events.Output, StringComparison.Ordinal);
            // Wait until the replica's container is gone (drained, stopped and removed), so the wake below starts a new one.
            using var docker = new DockerCli();
            var removed = await EngineProbe.EventuallyAsync(async () =>
                (await docker.RunAsync(null, "ps", "-a", "-q", "--filter", $"name={app}-web-")).Output.Trim().Length == 0,
                TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            Assert.True(removed, "the replica's container is still there at zero");

            // The first request is held, the service woken, and the request answered by the new replica.
            var clock = Stopwatch.StartNew();
            using var first = await GetAsync();
            clock.Stop();
            output.WriteLine($"cold start through the router: {clock.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("awake", (await first.Content.ReadAsStringAsync()).Trim());
            events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("a request arrived at zero replicas: 0 -> 1", events.Output, StringComparison.Ordinal);
            var cursor = 0L;
            var recent = new List<Gantry.Router.Observability.RequestRecord>();
            router.Recent.CopySince(ref cursor, 4096, recent);
            foreach (var r in recent.Where(r => r.Host == host).TakeLast(3))
            {
                output.WriteLine($"{r.Time:HH:mm:ss.fff} {r.Status} {r.Outcome} held={r.HeldMicroseconds}us total={r.TotalMicroseconds}us replica={r.DestinationId}");
            }
            output.WriteLine(events.Output);
            Assert.Contains(recent, r => r.Host == host && r.Status == 200 && r.HeldMicroseconds > 0);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task Autoscale_ReplicaBusyAboveItsCpuTarget_ScalesOutThenSaysItIsAtMax()
    {
        // A replica that spins uses all of its 0.1 CPU: twice the 50% target, so one more replica at once (at most doubling), then max.
        var app = TestProject.UniqueApp("autoscale-out");
        using var project = new TestProject("""
            services:
              worker:
                image: gantry/busybox:1
                command: ["sh", "-c", "while :; do :; done"]
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
                x-gantry:
                  autoscale: { min: 1, max: 2, cpu: 50% }
            """);
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        try
        {
            // Two sampler passes (10 s apart) give the first CPU figure; the decision follows the pass.
            Assert.True(await EventuallyEventAsync(project, app, EventReasons.Autoscaled, TimeSpan.FromSeconds(60)), "no Autoscaled event\n" + fixture.Server.Log);
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("autoscaler scaled worker=2: cpu ", events.Output, StringComparison.Ordinal);
            // A spinning replica can read a little over its limit (100.4%): then it wants 3, which max 2 caps, and says so.
            Assert.Matches(@"> 50% target( \(max 2; wanted 3\))?: 1 -> 2", events.Output);
            var ps = await fixture.Cli.RunAsync(project.Directory, "ps", app, "--output", "json");
            Assert.Contains($"{app}-worker-2", ps.Output, StringComparison.Ordinal);

            // Both replicas spin after the 30 s settle: the target still asks for more, and max 2 stops it, once.
            Assert.True(await EventuallyEventAsync(project, app, EventReasons.AutoscaleLimited, TimeSpan.FromSeconds(75)), "no AutoscaleLimited event\n" + fixture.Server.Log);
            events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("at max 2", events.Output, StringComparison.Ordinal);

            var shown = await fixture.Cli.RunAsync(project.Directory, "autoscale", app);
            Assert.True(shown.ExitCode == 0, shown.ToString());
            Assert.Contains("worker: 2 replicas (min 1, max 2, scale-in delay 5m)", shown.Output, StringComparison.Ordinal);
            Assert.Matches(@"cpu\s+50%\s+\d+(\.\d)?%", shown.Output);
            Assert.Contains("1 -> 2", shown.Output, StringComparison.Ordinal);
            Assert.Contains("AtMax", shown.Output, StringComparison.Ordinal);

            // A manual count outside the policy's range is refused with the range; within it, accepted.
            var outside = await fixture.Cli.RunAsync(project.Directory, "scale", app, "worker=5");
            Assert.NotEqual(0, outside.ExitCode);
            Assert.Contains("autoscaled between 1 and 2", outside.Output + outside.Error, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task Autoscale_ReplicasFarBelowTheirMemoryTarget_ScaleInAfterTheDelayAndRedeployKeepsTheCount()
    {
        // Three idle httpd replicas use a few percent of 16M against a 60% target: after the 20 s scale-in delay, down to min 1.
        var app = TestProject.UniqueApp("autoscale-in");
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
                init: true
                deploy:
                  replicas: 3
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
                x-gantry:
                  autoscale: { min: 1, max: 3, memory: 60%, scale-in-delay: 20s }
            """);
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        try
        {
            Assert.True(await EventuallyEventAsync(project, app, EventReasons.Autoscaled, TimeSpan.FromSeconds(75)), "no Autoscaled event\n" + fixture.Server.Log);
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("< 60% target for 20s: 3 -> 1", events.Output, StringComparison.Ordinal);
            var gone = await EngineProbe.EventuallyAsync(async () =>
            {
                var ps = await fixture.Cli.RunAsync(project.Directory, "ps", app, "--output", "json");
                return !ps.Output.Contains($"{app}-web-2", StringComparison.Ordinal) && !ps.Output.Contains($"{app}-web-3", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            Assert.True(gone, "replicas 2 and 3 still run after the scale-in");

            // Deploying the same file again does not reset the autoscaler's count to the file's 3.
            var again = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.True(again.ExitCode == 0, again.ToString());
            var ps = await fixture.Cli.RunAsync(project.Directory, "ps", app, "--output", "json");
            Assert.DoesNotContain($"{app}-web-2", ps.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task Autoscale_ServiceAtZeroWhenItsScheduleFloorStarts_WokenByTheClockAlone()
    {
        // Nothing runs, so no sampler pass comes: only the floor's start can wake the autoscaler (every minute here).
        var app = TestProject.UniqueApp("autoscale-cron");
        using var project = new TestProject($$"""
            services:
              web:
                image: gantry/busybox:1
                command: ["sh", "-c", "mkdir -p /www && exec httpd -f -p 8080 -h /www"]
                init: true
                deploy:
                  replicas: 0
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
                x-gantry:
                  host: {{app}}.localhost
                  port: 8080
                  autoscale:
                    min: 0
                    max: 2
                    rps: 50
                    idle: 15s
                    schedule:
                      - { cron: "* * * * *", min: 1, for: 20s }
            """);
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        try
        {
            Assert.True(await EventuallyEventAsync(project, app, EventReasons.Autoscaled, TimeSpan.FromSeconds(80)), "the floor's start never woke the service\n" + fixture.Server.Log);
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            Assert.Contains("schedule '* * * * *' floor 1: 0 -> 1", events.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    private async Task<bool> EventuallyEventAsync(TestProject project, string app, string reason, TimeSpan within) =>
        await EngineProbe.EventuallyAsync(async () =>
        {
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            return events.Output.Contains($"\"{reason}\"", StringComparison.Ordinal);
        }, within, TimeSpan.FromSeconds(2));
}
