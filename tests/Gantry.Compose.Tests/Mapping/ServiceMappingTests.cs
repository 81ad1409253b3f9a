using Gantry.Compose.HostPaths;
using Gantry.Model;

namespace Gantry.Compose.Tests.Mapping;

public sealed class ServiceMappingTests
{
    private static ServiceSpec Web(string body, IReadOnlyDictionary<string, string>? env = null, string extraTop = "", HostPathPolicy? hostPaths = null) =>
        TestLoad.Service($"services:\n  web:\n    image: nginx\n{Indent(body)}\n{extraTop}", env: env, hostPaths: hostPaths);

    private static string Indent(string body) => string.Join("\n", body.Split('\n').Select(l => "    " + l));

    [Fact]
    public void Map_ShortPorts_CoverRangesIpBindingAndUdp()
    {
        var web = Web("""
            ports:
              - 80
              - "8080:80"
              - "127.0.0.1:9000:9000/udp"
              - "127.0.0.1::5000"
              - "3000-3001:4000-4001"
              - "9090-9091:8080"
              - "[::1]:6000:6000"
            """);
        Assert.Equal(
            [
                new PortSpec(80),
                new PortSpec(80, "8080"),
                new PortSpec(9000, "9000", "udp", "127.0.0.1"),
                new PortSpec(5000, null, "tcp", "127.0.0.1"),
                new PortSpec(4000, "3000"),
                new PortSpec(4001, "3001"),
                new PortSpec(8080, "9090-9091"),
                new PortSpec(6000, "6000", "tcp", "::1"),
            ],
            web.Ports);
    }

    [Fact]
    public void Map_LongPort_ReadsEveryField()
    {
        var web = Web("ports:\n  - target: 80\n    published: \"8080\"\n    host_ip: 0.0.0.0\n    protocol: udp\n    mode: host");
        Assert.Equal(new PortSpec(80, "8080", "udp", "0.0.0.0") { Mode = "host" }, Assert.Single(web.Ports));
    }

    [Fact]
    public void Map_Volumes_ShortAndLongSyntax()
    {
        var web = Web("""
            volumes:
              - data:/var/lib/data
              - ./html:/usr/share/nginx/html:ro
              - /etc/hosts:/etc/hosts:ro
              - ~/cache:/cache
              - /anonymous
              - type: bind
                source: ./conf
                target: /conf
                read_only: true
                bind:
                  create_host_path: false
              - type: tmpfs
                target: /tmp
                tmpfs:
                  size: 64m
              - type: volume
                source: data
                target: /data2
            tmpfs: /run
            """, new Dictionary<string, string> { ["HOME"] = "/home/dev" }, "volumes:\n  data:\n",
            new HostPathPolicy { AllowedPaths = ["/etc/hosts", "/home/dev"] });
        var dir = TestLoad.ProjectDir;
        Assert.Equal(
            [
                new MountSpec(MountType.Volume, "data", "/var/lib/data"),
                new MountSpec(MountType.Bind, Path.Combine(dir, "html"), "/usr/share/nginx/html") { ReadOnly = true },
                new MountSpec(MountType.Bind, "/etc/hosts", "/etc/hosts") { ReadOnly = true },
                new MountSpec(MountType.Bind, "/home/dev/cache", "/cache"),
                new MountSpec(MountType.Volume, null, "/anonymous"),
                new MountSpec(MountType.Bind, Path.Combine(dir, "conf"), "/conf") { ReadOnly = true, CreateHostPath = false },
                new MountSpec(MountType.Tmpfs, null, "/tmp") { TmpfsSizeBytes = 64L << 20 },
                new MountSpec(MountType.Volume, "data", "/data2"),
                new MountSpec(MountType.Tmpfs, null, "/run"),
            ],
            web.Volumes);
    }

    [Fact]
    public void Map_UndeclaredNamedVolume_IsAnErrorWithTheFix()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: a\n    volumes: [\"cache:/cache\"]\n"));
        Assert.Contains("named volume 'cache' is not declared: add it under the top-level 'volumes:' key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CommandAndEntrypoint_StringIsShellSplitListIsKept()
    {
        var web = Web("command: sh -c 'echo \"hi there\"'\nentrypoint: [\"/bin/tini\", \"--\"]");
        Assert.Equal(["sh", "-c", "echo \"hi there\""], web.Command);
        Assert.Equal(["/bin/tini", "--"], web.Entrypoint);
    }

    [Fact]
    public void Map_Environment_ListAndMapAndBareKeys()
    {
        var env = new Dictionary<string, string> { ["FROM_SHELL"] = "shell" };
        var list = Web("environment:\n  - A=1\n  - B=x=y\n  - FROM_SHELL\n  - NOT_SET", env).Environment;
        Assert.Equal("1", list["A"]);
        Assert.Equal("x=y", list["B"]);
        Assert.Equal("shell", list["FROM_SHELL"]);
        Assert.True(list.ContainsKey("NOT_SET"));
        Assert.Null(list["NOT_SET"]);
        var map = Web("environment:\n  A: 1\n  FLAG: true\n  EMPTY: \"\"\n  FROM_SHELL:", env).Environment;
        Assert.Equal(("1", "true", "", "shell"), (map["A"], map["FLAG"], map["EMPTY"], map["FROM_SHELL"]));
    }

    [Fact]
    public void Map_EnvFile_MissingOptionalIsSkippedMissingRequiredIsAnError()
    {
        Assert.Empty(Web("env_file:\n  - path: ./missing.env\n    required: false").Environment);
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: a\n    env_file: missing.env\n"));
        Assert.Contains("required: false", error.Message, StringComparison.Ordinal);
        Assert.Equal((4, 15), (error.Line, error.Column));
    }

    [Fact]
    public void Map_Build_StringAndMappingFormsWithImageDefault()
    {
        var app = TestLoad.App("""
            services:
              api:
                build: ./api
              worker:
                build:
                  context: ./worker
                  dockerfile: Dockerfile.prod
                  target: runtime
                  args:
                    - VERSION=1.2
                    - FROM_SHELL
              tagged:
                image: registry.local/tagged:7
                build: .
            """, new Dictionary<string, string> { ["FROM_SHELL"] = "s" });
        var api = app.FindService("api")!;
        Assert.Equal("app-api:latest", api.Image);
        Assert.Equal(new BuildSpec(Path.Combine(TestLoad.ProjectDir, "api")) { Args = api.Build!.Args }, api.Build);
        var worker = app.FindService("worker")!.Build!;
        Assert.Equal(Path.Combine(TestLoad.ProjectDir, "worker"), worker.Context);
        Assert.Equal(("Dockerfile.prod", "runtime"), (worker.Dockerfile, worker.Target));
        Assert.Equal("1.2", worker.Args["VERSION"]);
        Assert.Equal("s", worker.Args["FROM_SHELL"]);
        Assert.Equal("registry.local/tagged:7", app.FindService("tagged")!.Image);
    }

    [Fact]
    public void Map_DependsOn_ListAndMapWithConditions()
    {
        var app = TestLoad.App("""
            services:
              web:
                image: a
                depends_on:
                  db:
                    condition: service_healthy
                    restart: true
                  migrate:
                    condition: service_completed_successfully
                  cache:
                    condition: service_started
                    required: false
              db: {image: b}
              migrate: {image: c}
              cache: {image: d}
              worker:
                image: e
                depends_on: [db]
            """);
        Assert.Equal(
            [
                new DependencySpec("db", DependencyCondition.Healthy) { Restart = true },
                new DependencySpec("migrate", DependencyCondition.CompletedSuccessfully),
                new DependencySpec("cache") { Required = false },
            ],
            app.FindService("web")!.DependsOn);
        Assert.Equal([new DependencySpec("db")], app.FindService("worker")!.DependsOn);
    }

    [Fact]
    public void Map_HealthCheck_StringListAndDisable()
    {
        var shell = Web("healthcheck:\n  test: curl -f http://localhost\n  interval: 1m30s\n  timeout: 10s\n  retries: 3\n  start_period: 500ms\n  start_interval: 2s").HealthCheck!;
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost"], shell.Test);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)),
            (shell.Interval, shell.Timeout, shell.Retries, shell.StartPeriod, shell.StartInterval));
        Assert.Equal(["CMD", "wget", "-q", "localhost"], Web("healthcheck:\n  test: [\"CMD\", \"wget\", \"-q\", \"localhost\"]").HealthCheck!.Test);
        Assert.True(Web("healthcheck:\n  disable: true").HealthCheck!.Disable);
        Assert.True(Web("healthcheck:\n  test: [\"NONE\"]").HealthCheck!.Disable);
    }

    [Fact]
    public void Map_Deploy_ReplicasResourcesRestartAndUpdate()
    {
        var web = Web("""
            deploy:
              replicas: 3
              resources:
                limits:
                  cpus: "0.5"
                  memory: 512m
                  pids: 100
                reservations:
                  cpus: '0.25'
                  memory: 128M
              restart_policy:
                condition: on-failure
                delay: 5s
                max_attempts: 3
                window: 2m
              update_config:
                parallelism: 2
                delay: 10s
                failure_action: rollback
                monitor: 30s
                max_failure_ratio: 0.1
                order: start-first
            """);
        Assert.Equal(3, web.Replicas);
        Assert.Equal(new ResourcesSpec { NanoCpus = 500_000_000, MemoryLimitBytes = 512L << 20, PidsLimit = 100, NanoCpusReservation = 250_000_000, MemoryReservationBytes = 128L << 20 }, web.Resources);
        Assert.Equal(new RestartPolicySpec { Condition = RestartCondition.OnFailure, Delay = TimeSpan.FromSeconds(5), MaxAttempts = 3, Window = TimeSpan.FromMinutes(2) }, web.Restart);
        Assert.Equal(new UpdateConfigSpec { Parallelism = 2, Delay = TimeSpan.FromSeconds(10), FailureAction = "rollback", Monitor = TimeSpan.FromSeconds(30), MaxFailureRatio = 0.1, Order = "start-first" }, web.Update);
    }

    [Fact]
    public void Map_ServiceLevelLimits_AndRestartStrings()
    {
        var web = Web("mem_limit: 1gb\ncpus: 1.5\npids_limit: 50\nmem_reservation: 100k\nrestart: on-failure:5");
        Assert.Equal(new ResourcesSpec { MemoryLimitBytes = 1L << 30, NanoCpus = 1_500_000_000, PidsLimit = 50, MemoryReservationBytes = 100L << 10 }, web.Resources);
        Assert.Equal(new RestartPolicySpec { Condition = RestartCondition.OnFailure, MaxAttempts = 5 }, web.Restart);
        Assert.Equal(RestartCondition.None, Web("restart: \"no\"").Restart.Condition);
        Assert.Equal(RestartCondition.None, Web("restart: no").Restart.Condition);
        Assert.Equal(RestartCondition.Any, Web("restart: unless-stopped").Restart.Condition);
        Assert.Equal(RestartCondition.Any, Web("restart: always").Restart.Condition);
    }

    [Fact]
    public void Map_LabelsNetworksHostsAndStrings()
    {
        var web = Web("""
            labels: ["a=1", "b"]
            networks:
              front:
                aliases: [www]
                ipv4_address: 172.30.0.5
              back:
            extra_hosts:
              - "db.local:10.0.0.2"
              - "cache=10.0.0.3"
            user: "1000:1000"
            working_dir: /app
            stop_grace_period: 1m
            stop_signal: SIGINT
            x-team:
              route: {host: www.example.com, port: 80}
              flags: [1, true, "s"]
            """, extraTop: "networks:\n  front:\n  back:\n");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "" }, web.Labels);
        Assert.Equal("back", web.Networks[0].Network);
        Assert.Equal(["www"], web.Networks[1].Aliases);
        Assert.Equal("172.30.0.5", web.Networks[1].Ipv4Address);
        Assert.Equal(["db.local:10.0.0.2", "cache:10.0.0.3"], web.ExtraHosts);
        Assert.Equal(("1000:1000", "/app", TimeSpan.FromMinutes(1), "SIGINT"), (web.User, web.WorkingDir, web.StopGracePeriod, web.StopSignal));
        Assert.Equal("{\"route\":{\"host\":\"www.example.com\",\"port\":80},\"flags\":[1,true,\"s\"]}", web.Extensions["x-team"]);
    }

    [Fact]
    public void Map_SecretsAndConfigs_ShortAndLong()
    {
        var app = TestLoad.App("""
            services:
              web:
                image: a
                secrets:
                  - db_password
                  - source: api_key
                    target: key
                    uid: "100"
                    mode: 0400
                configs:
                  - nginx_conf
                  - source: app_conf
                    target: /etc/app.conf
            secrets:
              db_password: {file: ./secrets/db.txt}
              api_key: {environment: API_KEY}
            configs:
              nginx_conf: {content: "server {}"}
              app_conf: {external: true}
            """);
        var web = app.Services[0];
        Assert.Equal([new FileReferenceSpec("db_password", "/run/secrets/db_password"), new FileReferenceSpec("api_key", "/run/secrets/key") { Uid = "100", Mode = 256 }], web.Secrets);
        Assert.Equal([new FileReferenceSpec("nginx_conf", "/nginx_conf"), new FileReferenceSpec("app_conf", "/etc/app.conf")], web.Configs);
        Assert.Equal(new FileObjectSpec("db_password") { File = Path.Combine(TestLoad.ProjectDir, "secrets", "db.txt") }, app.Secrets[1]);
        Assert.Equal("API_KEY", app.Secrets[0].EnvironmentVariable);
        Assert.Equal("server {}", app.Configs[1].Content);
        Assert.True(app.Configs[0].External);
    }

    [Fact]
    public void Map_UndefinedSecretNetworkAndConfig_AreErrors()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: a\n    secrets: [nope]\n    configs: [nada]\n    networks: [none]\n");
        Assert.Equal(3, result.Errors.Count());
        Assert.All(result.Errors, e => Assert.Contains("is not defined: declare it under the top-level", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Map_TopLevelResources_NetworksVolumesAndDefault()
    {
        var app = TestLoad.App("""
            services:
              web:
                image: a
              worker:
                image: b
                networks: [back]
            networks:
              back:
                driver: overlay
                internal: true
                labels: {team: x}
              shared:
                external: true
                name: corp-net
            volumes:
              data:
                driver_opts: {type: nfs, o: "addr=10.0.0.1"}
              old:
                external:
                  name: legacy-volume
            """);
        Assert.Equal(["back", "default", "shared"], app.Networks.Select(n => n.Name));
        Assert.Equal(("overlay", true), (app.Networks[0].Driver, app.Networks[0].Internal));
        Assert.Equal((true, "corp-net"), (app.Networks[2].External, app.Networks[2].EngineName));
        Assert.Equal("nfs", app.Volumes[0].DriverOptions["type"]);
        Assert.Equal((true, "legacy-volume"), (app.Volumes[1].External, app.Volumes[1].EngineName));
        Assert.Equal([new ServiceNetworkSpec("default")], app.FindService("web")!.Networks);
        Assert.Equal("production", app.Environment);
    }

    [Fact]
    public void Load_TargetEnvironmentAndProjectName_AreCopiedIntoTheApp()
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource("/tmp/x/compose.yaml", "name: fromfile\nservices:\n  web:\n    image: a\n")],
            ProjectName = "override",
            TargetEnvironment = "staging",
        });
        Assert.Equal(("override", "staging"), (result.App!.Name, result.App.Environment));
    }
}
