using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;
using Gantry.Router.Hosting;

namespace Gantry.IntegrationTests;

/// <summary>Deploy, inspect, scale and remove apps through the real CLI, server and dockerd.</summary>
public sealed class AppLifecycleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string TwoWebReplicas = """
        services:
          web:
            image: gantry/busybox:1
            command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            init: true
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/hostname"]
              interval: 1s
              retries: 3
            deploy:
              replicas: 2
              resources:
                limits: { memory: 16M, cpus: "0.1" }
        """;

    [Fact]
    public async Task Deploy_HelloExample_HealthyRoutedByHostNameAndRemovedCleanly()
    {
        var app = TestProject.UniqueApp("hello");
        var host = $"{app}.localhost";
        fixture.Cli.Environment["HELLO_HOST"] = host;
        var state = Path.Combine(fixture.Server.DataDirectory, "router-" + app);
        await using var router = await RouterHost.StartAsync(fixture.Server.RouterOptions() with
        {
            StateDirectory = state,
        });

        var deploy = await fixture.Cli.RunAsync(RepositoryPaths.Root, "deploy", "-f", "examples/hello/compose.yaml", "--app", app);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal(2, await EngineProbe.BuiltImagesAsync(fixture.Server.InstallationId, app));
        var containers = await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app);
        Assert.Equal(4, containers.Count(c => c.State.Running));
        Assert.All(containers, c => Assert.True(c.HostConfig.Memory == 32L << 20, $"{c.Name} memory {c.HostConfig.Memory}"));
        Assert.All(containers, c => Assert.Empty(c.HostConfig.PortBindings ?? new Dictionary<string, IReadOnlyList<Gantry.Docker.Containers.PortBinding>>()));

        // Through the router, by host name, once its own health checks pass: no port is published.
        using var http = new HttpClient();
        string? answer = null;
        var routed = await EngineProbe.EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{router.ExternalHttpPort}/cgi-bin/api");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            answer = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20));
        Assert.True(routed, $"router answered: {answer}");
        Assert.Contains("hello from Gantry", answer);

        var ps = await fixture.Cli.RunAsync(RepositoryPaths.Root, "ps", app, "--output", "json");
        Assert.Equal(0, ps.ExitCode);
        var replicas = JsonSerializer.Deserialize(ps.Output, ApiJsonContext.Default.IReadOnlyListReplicaView)!;
        Assert.Equal(4, replicas.Count(r => r.Replica.State == "running" && r.Replica.Health == "healthy"));

        var rm = await fixture.Cli.RunAsync(RepositoryPaths.Root, "rm", app);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Empty(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
        Assert.Equal((0, 0), await EngineProbe.OtherObjectsAsync(fixture.Server.InstallationId, app));
        Assert.Equal(0, await EngineProbe.BuiltImagesAsync(fixture.Server.InstallationId, app));
        var gone = await EngineProbe.EventuallyAsync(() => Task.FromResult(!router.CurrentTable.Routes.Any(r => r.Hosts.Contains(host))), TimeSpan.FromSeconds(10));
        Assert.True(gone, "the app's route stayed in the router's table after rm");
    }

    [Fact]
    public async Task KilledReplica_IsReplacedWithinTenSeconds()
    {
        using var project = new TestProject(TwoWebReplicas);
        var app = TestProject.UniqueApp("kill");
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var victim = (await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app)).First(c => c.State.Running);
        await EngineProbe.KillAsync(victim.Id);

        var healed = await EngineProbe.EventuallyAsync(async () =>
            (await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app)).Count(c => c.State.Running) == 2, TimeSpan.FromSeconds(10));
        Assert.True(healed, "the killed replica was not running again within 10 s\n" + fixture.Server.Log);

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task Scale_UpThenDown_ChangesRunningReplicas()
    {
        using var project = new TestProject(TwoWebReplicas);
        var app = TestProject.UniqueApp("scale");
        Assert.Equal(0, (await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app)).ExitCode);

        var up = await fixture.Cli.RunAsync(project.Directory, "scale", app, "web=4");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(4, (await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app)).Count(c => c.State.Running));

        var down = await fixture.Cli.RunAsync(project.Directory, "scale", app, "web=1");
        Assert.True(down.ExitCode == 0, down.ToString());
        var left = await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app);
        Assert.Equal("1", Assert.Single(left).Config.Labels!["gantry.slot"]);

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task Logs_TwoReplicas_InterleavedWithReplicaPrefix()
    {
        using var project = new TestProject("""
            services:
              talker:
                image: gantry/busybox:1
                command: ["sh", "-c", "echo started as $$(hostname); exec sleep 3600"]
                init: true
                deploy:
                  replicas: 2
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            """);
        var app = TestProject.UniqueApp("logs");
        Assert.Equal(0, (await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app)).ExitCode);

        // A replica that is running has not necessarily written its first line yet: poll briefly.
        CliResult logs = null!;
        string[] lines = [];
        await EngineProbe.EventuallyAsync(async () =>
        {
            logs = await fixture.Cli.RunAsync(project.Directory, "logs", app);
            lines = logs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Count(l => l.Contains("started as", StringComparison.Ordinal)) == 2;
        }, TimeSpan.FromSeconds(10));

        Assert.Equal(0, logs.ExitCode);
        Assert.Equal(2, lines.Count(l => l.Contains("started as", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith($"{app}-talker-1-", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{app}-talker-2-", StringComparison.Ordinal));

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task SecretsAndConfigs_AreMountedAsReadOnlyFilesNotEnvironment()
    {
        using var project = new TestProject("""
            services:
              reader:
                image: gantry/busybox:1
                command: ["sh", "-c", "echo secret=$$(cat /run/secrets/db_password) config=$$(cat /etc/app.conf); touch /run/secrets/db_password 2>/dev/null || echo read-only; exec sleep 3600"]
                init: true
                secrets: [db_password]
                configs:
                  - source: app_conf
                    target: /etc/app.conf
                deploy:
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            secrets:
              db_password:
                file: ./db_password.txt
            configs:
              app_conf:
                content: mode=fast
            """, ("db_password.txt", "s3cr3t-value"));
        var app = TestProject.UniqueApp("secret");
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        string output = "";
        var mounted = await EngineProbe.EventuallyAsync(async () =>
        {
            output = (await fixture.Cli.RunAsync(project.Directory, "logs", app)).Output;
            return output.Contains("secret=s3cr3t-value config=mode=fast", StringComparison.Ordinal) && output.Contains("read-only", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
        Assert.True(mounted, output);
        var container = Assert.Single(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
        Assert.DoesNotContain(container.Config.Env ?? [], e => e.Contains("s3cr3t-value", StringComparison.Ordinal));
        var detail = await fixture.Cli.RunAsync(project.Directory, "apps", "--output", "json");
        Assert.DoesNotContain("s3cr3t-value", detail.Output);

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task CrashLoopingReplica_StatusSaysWhy()
    {
        using var project = new TestProject("""
            services:
              broken:
                image: gantry/busybox:1
                command: ["sh", "-c", "echo cannot connect to the database >&2; exit 3"]
                deploy:
                  resources:
                    limits: { memory: 8M, cpus: "0.05" }
            """);
        var app = TestProject.UniqueApp("crash");
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--detach");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        string? message = null;
        var explained = await EngineProbe.EventuallyAsync(async () =>
        {
            var ps = await fixture.Cli.RunAsync(project.Directory, "ps", app, "--output", "json");
            var replica = JsonSerializer.Deserialize(ps.Output, ApiJsonContext.Default.IReadOnlyListReplicaView)!.SingleOrDefault()?.Replica;
            message = replica?.Message;
            return message is not null && message.Contains("code 3", StringComparison.Ordinal) && message.Contains("cannot connect to the database", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        Assert.True(explained, $"status message was: {message}");

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task OomKilledReplica_IsReportedAsSuch()
    {
        using var project = new TestProject("""
            services:
              hungry:
                image: gantry/busybox:1
                command: ["sh", "-c", "x=aaaaaaaaaaaaaaaa; while true; do x=$$x$$x; done"]
                restart: "no"
                deploy:
                  resources:
                    limits: { memory: 8M, cpus: "0.5" }
            """);
        var app = TestProject.UniqueApp("oom");
        Assert.Equal(0, (await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--detach")).ExitCode);

        var reported = await EngineProbe.EventuallyAsync(async () =>
        {
            var events = await fixture.Cli.RunAsync(project.Directory, "events", app, "--output", "json");
            return events.Output.Contains(EventReasons.ReplicaOomKilled, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        Assert.True(reported, "no ReplicaOomKilled event\n" + fixture.Server.Log);
        var ps = await fixture.Cli.RunAsync(project.Directory, "ps", app, "--output", "json");
        Assert.Contains("OOM-killed", ps.Output);

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    [Fact]
    public async Task Api_WithoutToken_IsRefusedButHealthIsOpen()
    {
        using var http = new HttpClient();

        var health = await http.GetAsync($"{fixture.Server.Url}/healthz");
        var apps = await http.GetAsync($"{fixture.Server.Url}/api/v1/apps");
        var openapi = await http.GetAsync($"{fixture.Server.Url}/api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, apps.StatusCode);
        Assert.Equal("application/problem+json", apps.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, openapi.StatusCode);

        http.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Server.Token);
        var document = await http.GetStringAsync($"{fixture.Server.Url}/api/v1/openapi.json");
        Assert.Contains("/api/v1/apps/{app}", document);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
