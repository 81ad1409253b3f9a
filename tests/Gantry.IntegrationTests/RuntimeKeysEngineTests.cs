using Gantry.Compose;
using Gantry.Compose.Privilege;
using Gantry.Controllers.Docker;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Planning;
using Gantry.Controllers.Resources;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Docker.Networks;
using Gantry.Model;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 16 against the real engine: a compose file with every runtime key goes through the loader, the plan builder and the
/// Docker driver, and `docker inspect` (and what the container itself sees) shows each key. Its own owner label, so nothing
/// it creates is seen by other tests, and it removes everything it made.
/// </summary>
public sealed class RuntimeKeysEngineTests : IAsyncLifetime
{
    private const string Image = "gantry/busybox:1";
    private readonly string _owner = "it-keys-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _app = "keys-" + Guid.NewGuid().ToString("N")[..6];
    private readonly DockerClient _docker = DockerClient.FromEnvironment();
    private DockerEngineDriver _driver = null!;

    public Task InitializeAsync()
    {
        _driver = new DockerEngineDriver(_docker, _owner);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var c in await _docker.Containers.ListAsync(new ContainerListOptions { All = true, Filters = DockerFilters.ForLabel(GantryLabels.Owner, _owner) }))
        {
            await _docker.Containers.RemoveAsync(c.Id, force: true);
        }
        foreach (var n in await _docker.Networks.ListAsync(DockerFilters.ForLabel(GantryLabels.Owner, _owner)))
        {
            await _docker.Networks.RemoveAsync(n.Name);
        }
        await _docker.DisposeAsync();
    }

    private AppSpec Load(string yaml, bool privileged = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gantry-it-keys-" + _app);
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(dir, "compose.yaml"), yaml)],
            WorkingDirectory = dir,
            ProjectName = _app,
            Privilege = privileged ? new PrivilegePolicy { AllowedApps = [_app] } : PrivilegePolicy.Refused,
        });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.App!;
    }

    private async Task<(string Id, ContainerInspectResponse Inspect)> RunAsync(AppSpec app, string service, bool start = true)
    {
        foreach (var network in app.Networks)
        {
            await _driver.CreateNetworkAsync(app.Name, network, CancellationToken.None);
        }
        var spec = app.FindService(service)!;
        var plan = ContainerPlanBuilder.Build(app, spec, 1, Image, SpecHash.Compute(spec, Image), 1, new ResourceDefaults());
        var id = await _driver.CreateContainerAsync(plan, CancellationToken.None);
        if (start)
        {
            await _driver.StartContainerAsync(id, CancellationToken.None);
        }
        return (id, await _docker.Containers.InspectAsync(id));
    }

    private async Task<string> OutputAsync(string id, string until)
    {
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !text.Contains(until, StringComparison.Ordinal))
        {
            await Task.Delay(200);
            var lines = new List<string>();
            await foreach (var entry in _docker.Containers.LogsAsync(id, new ContainerLogsOptions { Stdout = true, Stderr = true }))
            {
                lines.Add(entry.Text);
            }
            text = string.Join("\n", lines.Select(l => l.TrimEnd('\n')));
        }
        return text;
    }

    [Fact]
    public async Task Create_EveryRuntimeKey_ShowsInInspectAndInsideTheContainer()
    {
        var app = Load($$"""
            services:
              web:
                image: {{Image}}
                command: ["sh", "-c", "hostname; cat /etc/resolv.conf; ulimit -n; cat /proc/sys/net/core/somaxconn; touch /rootfs-probe 2>/dev/null || echo read-only-root; grep ' /run ' /proc/mounts; echo end-of-probe; sleep 3600"]
                hostname: wiki1
                domainname: example.internal
                read_only: true
                init: true
                dns: [10.0.0.53]
                dns_search: [corp.example]
                dns_opt: ["ndots:2"]
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                  nproc: 512
                sysctls:
                  net.core.somaxconn: 1000
                logging:
                  driver: json-file
                  options: {max-size: 5m, max-file: "2"}
                shm_size: 32m
                tmpfs:
                  - /run:rw,noexec,nosuid,nodev,size=8m,mode=755
                stop_signal: SIGINT
                pids_limit: 64
                mem_limit: 64m
                memswap_limit: 128m
                platform: linux/amd64
                pull_policy: never
                labels: {org.example.team: wiki}
                cpu_shares: 512
                group_add: ["1234"]
                cap_drop: [ALL]
                cap_add: [CHOWN, SETUID, SETGID]
                security_opt: ["no-new-privileges:true"]
            """);
        var (id, inspect) = await RunAsync(app, "web");

        Assert.Equal(("wiki1", "example.internal", "SIGINT"), (inspect.Config.Hostname, inspect.Config.Domainname, inspect.Config.StopSignal));
        Assert.Equal("wiki", inspect.Config.Labels!["org.example.team"]);
        var host = inspect.HostConfig;
        Assert.Equal((true, true, 32L << 20), (host.ReadonlyRootfs, host.Init, host.ShmSize));
        Assert.Equal(["10.0.0.53"], host.Dns);
        Assert.Equal(["corp.example"], host.DnsSearch);
        Assert.Equal(["ndots:2"], host.DnsOptions);
        Assert.Equal([new Ulimit { Name = "nofile", Soft = 1024, Hard = 2048 }, new Ulimit { Name = "nproc", Soft = 512, Hard = 512 }], host.Ulimits);
        Assert.Equal("1000", host.Sysctls!["net.core.somaxconn"]);
        Assert.Equal(("json-file", "5m", "2"), (host.LogConfig!.Type, host.LogConfig.Config!["max-size"], host.LogConfig.Config["max-file"]));
        Assert.Equal("rw,noexec,nosuid,nodev,size=8388608,mode=755", host.Tmpfs!["/run"]);
        Assert.Equal((64L, 64L << 20, 128L << 20, 512L), (host.PidsLimit, host.Memory, host.MemorySwap, host.CpuShares));
        Assert.Equal(["1234"], host.GroupAdd);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["CHOWN", "SETUID", "SETGID"], host.CapAdd);
        Assert.Equal(["no-new-privileges:true"], host.SecurityOpt);

        // What the process sees, not only what the engine recorded.
        var output = await OutputAsync(id, "end-of-probe");
        Assert.Contains("wiki1", output, StringComparison.Ordinal);
        // On an app network the engine's embedded DNS answers (127.0.0.11) and forwards to the servers in HostConfig.Dns.
        Assert.Contains("nameserver 127.0.0.11", output, StringComparison.Ordinal);
        Assert.Contains("search corp.example", output, StringComparison.Ordinal);
        Assert.Contains("options ndots:2", output, StringComparison.Ordinal);
        Assert.Contains("\n1024\n", output, StringComparison.Ordinal);
        Assert.Contains("\n1000\n", output, StringComparison.Ordinal);
        Assert.Contains("read-only-root", output, StringComparison.Ordinal);
        Assert.Matches(@"tmpfs /run tmpfs rw,nosuid,nodev,noexec[^\n]*size=8192k,mode=755", output);
    }

    [Fact]
    public async Task Create_ServiceWithoutLogging_GetsBoundedJsonFileLogs()
    {
        var app = Load($"services:\n  web:\n    image: {Image}\n    command: [sleep, '3600']\n");
        var (_, inspect) = await RunAsync(app, "web", start: false);
        Assert.Equal(("json-file", "10m", "3"), (inspect.HostConfig.LogConfig!.Type, inspect.HostConfig.LogConfig.Config!["max-size"], inspect.HostConfig.LogConfig.Config["max-file"]));
    }

    [Fact]
    public async Task Create_TtyStdinAndNetworkModeNone_ShowInInspect()
    {
        var app = Load($"services:\n  shell:\n    image: {Image}\n    command: [sh]\n    tty: true\n    stdin_open: true\n    network_mode: none\n");
        var (_, inspect) = await RunAsync(app, "shell", start: false);
        Assert.Equal((true, true, "none"), (inspect.Config.Tty, inspect.Config.OpenStdin, inspect.HostConfig.NetworkMode));
    }

    [Fact]
    public async Task Create_NetworkModeServiceAndLinks_ShareTheStackAndAnswerToTheAlias()
    {
        var app = Load($$"""
            services:
              vpn:
                image: {{Image}}
                command: [sleep, "3600"]
              torrent:
                image: {{Image}}
                command: [sleep, "3600"]
                network_mode: "service:vpn"
              wiki:
                image: {{Image}}
                command: [sleep, "3600"]
                links: ["vpn:gateway"]
            """);
        var (vpn, _) = await RunAsync(app, "vpn");
        var (_, torrent) = await RunAsync(app, "torrent");
        Assert.Equal("container:" + vpn, torrent.HostConfig.NetworkMode);
        var (_, wiki) = await RunAsync(app, "wiki", start: false);
        var vpnInspect = await _docker.Containers.InspectAsync(vpn);
        Assert.Contains("gateway", vpnInspect.NetworkSettings.Networks!.Values.Single().Aliases!);
        Assert.Equal("vpn", Assert.Single(app.FindService("wiki")!.DependsOn).Service);
        Assert.NotNull(wiki);
    }

    [Fact]
    public async Task Create_IpamAndStaticAddress_GiveTheContainerItsAddress()
    {
        var subnet = $"172.{Random.Shared.Next(100, 200)}.{Random.Shared.Next(0, 250)}";
        var app = Load($$"""
            services:
              dns:
                image: {{Image}}
                command: [sleep, "3600"]
                networks:
                  dns-net:
                    ipv4_address: {{subnet}}.2
            networks:
              dns-net:
                ipam:
                  config:
                    - subnet: {{subnet}}.0/24
                      gateway: {{subnet}}.1
            """);
        var (_, inspect) = await RunAsync(app, "dns");
        Assert.Equal($"{subnet}.2", inspect.NetworkSettings.Networks!.Values.Single().IPAddress);
        var network = await _docker.Networks.InspectAsync(Names.Network(app.Name, app.Networks.Single()));
        Assert.Equal($"{subnet}.0/24", network.IPAM!.Config!.Single().Subnet);
    }

    [Fact]
    public async Task Create_PrivilegedKeysOfAnAllowedApp_ShowInInspect()
    {
        var app = Load($$"""
            services:
              vpn:
                image: {{Image}}
                command: [sleep, "3600"]
                cap_add: [NET_ADMIN, SYS_MODULE]
                devices: ["/dev/net/tun:/dev/net/tun:rwm"]
                security_opt: ["apparmor=unconfined"]
                pid: host
                ipc: host
                userns_mode: host
              debug:
                image: {{Image}}
                command: [sleep, "3600"]
                privileged: true
                network_mode: host
            """, privileged: true);
        var (_, vpn) = await RunAsync(app, "vpn", start: false);
        Assert.Equal(["NET_ADMIN", "SYS_MODULE"], vpn.HostConfig.CapAdd);
        Assert.Equal(new DeviceMapping { PathOnHost = "/dev/net/tun", PathInContainer = "/dev/net/tun", CgroupPermissions = "rwm" }, Assert.Single(vpn.HostConfig.Devices!));
        // The engine adds label=disable itself beside a host namespace.
        Assert.Contains("apparmor=unconfined", vpn.HostConfig.SecurityOpt!);
        Assert.Equal(("host", "host", "host"), (vpn.HostConfig.PidMode, vpn.HostConfig.IpcMode, vpn.HostConfig.UsernsMode));
        var (_, debug) = await RunAsync(app, "debug", start: false);
        Assert.Equal((true, "host"), (debug.HostConfig.Privileged, debug.HostConfig.NetworkMode));
    }

    [Fact]
    public async Task Create_PlatformTheEngineDoesNotRun_IsRefusedByTheEngine()
    {
        var app = Load($"services:\n  web:\n    image: {Image}\n    platform: linux/s390x\n");
        var spec = app.Services[0];
        var plan = ContainerPlanBuilder.Build(app, spec, 1, Image, SpecHash.Compute(spec, Image), 1, new ResourceDefaults());
        var error = await Assert.ThrowsAnyAsync<EngineException>(() => _driver.CreateContainerAsync(plan, CancellationToken.None));
        Assert.Contains("platform", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
