using System.Text.Json;
using Gantry.Compose.Privilege;
using Gantry.Model;

namespace Gantry.Compose.Tests.Mapping;

/// <summary>The runtime keys real stacks use (issue 16): each one loads into the spec, and each wrong value is a located error.</summary>
public sealed class RuntimeKeyMappingTests
{
    private static ServiceSpec Web(string body, IReadOnlyDictionary<string, string>? env = null, string extraTop = "") =>
        TestLoad.Service($"services:\n  web:\n    image: nginx\n{Indent(body)}\n{extraTop}", env: env);

    private static ComposeDiagnostic Error(string body, string extraTop = "") =>
        TestLoad.SingleError(TestLoad.Text($"services:\n  web:\n    image: nginx\n{Indent(body)}\n{extraTop}"));

    private static string Indent(string body) => string.Join("\n", body.Split('\n').Select(l => "    " + l));

    [Fact]
    public void Map_IdentityAndProcessKeys_AreRead()
    {
        var web = Web("""
            hostname: web1
            domainname: example.internal
            read_only: true
            init: true
            tty: true
            stdin_open: true
            stop_signal: SIGQUIT
            shm_size: 256m
            platform: linux/amd64
            runtime: runc
            pull_policy: never
            cpu_shares: 512
            cpuset: "0-1"
            group_add: [audio, "1001"]
            """);
        Assert.Equal(("web1", "example.internal"), (web.Hostname, web.Domainname));
        Assert.Equal((true, true, true, true), (web.ReadOnly, web.Init, web.Tty, web.StdinOpen));
        Assert.Equal("SIGQUIT", web.StopSignal);
        Assert.Equal(256L * 1024 * 1024, web.ShmSizeBytes);
        Assert.Equal(("linux/amd64", "runc", "never"), (web.Platform, web.Runtime, web.PullPolicy));
        Assert.Equal((512L, "0-1"), (web.CpuShares, web.Cpuset));
        Assert.Equal(["audio", "1001"], web.GroupAdd);
    }

    [Fact]
    public void Map_FalseFlags_AreLeftOutLikeUnsetOnes()
    {
        var web = Web("read_only: false\ntty: false\nstdin_open: false\nprivileged: false\ninit: false");
        Assert.Equal((null, null, null, null), (web.ReadOnly, web.Tty, web.StdinOpen, web.Privileged));
        // init: false is not the engine's default when the daemon runs with --init, so it is kept.
        Assert.False(web.Init);
    }

    [Fact]
    public void Map_DnsKeys_StringOrList()
    {
        var web = Web("dns: 1.1.1.1\ndns_search: [corp.example, example.org]\ndns_opt: [\"ndots:2\", \"timeout:1\"]");
        Assert.Equal(["1.1.1.1"], web.Dns);
        Assert.Equal(["corp.example", "example.org"], web.DnsSearch);
        Assert.Equal(["ndots:2", "timeout:1"], web.DnsOptions);
    }

    [Fact]
    public void Map_DnsName_IsAnErrorAtTheItem()
    {
        var error = Error("dns:\n  - 1.1.1.1\n  - dns.google");
        Assert.Equal((6, 9, "services.web.dns[1]"), (error.Line, error.Column, error.Path));
        Assert.Contains("'dns.google' is not an IP address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_Ulimits_NumberOrSoftAndHard_SortedByName()
    {
        var web = Web("ulimits:\n  nproc: 65535\n  nofile:\n    soft: 20000\n    hard: 40000");
        Assert.Equal([new UlimitSpec("nofile", 20000, 40000), new UlimitSpec("nproc", 65535, 65535)], web.Ulimits);
    }

    [Theory]
    [InlineData("ulimits:\n  nofiles: 10", "did you mean 'nofile'?")]
    [InlineData("ulimits:\n  nofile:\n    soft: 50\n    hard: 10", "soft (50) is above hard (10)")]
    [InlineData("ulimits:\n  nofile:\n    soft: 50", "needs both 'soft' and 'hard'")]
    public void Map_BadUlimit_IsAnError(string body, string message) =>
        Assert.Contains(message, Error(body).Message, StringComparison.Ordinal);

    [Fact]
    public void Map_Sysctls_ListOrMapping()
    {
        Assert.Equal(new SortedDictionary<string, string> { ["net.core.somaxconn"] = "1024", ["net.ipv4.tcp_syncookies"] = "0" },
            Web("sysctls:\n  net.core.somaxconn: 1024\n  net.ipv4.tcp_syncookies: 0").Sysctls);
        Assert.Equal(new SortedDictionary<string, string> { ["net.ipv4.conf.all.src_valid_mark"] = "1" },
            Web("sysctls:\n  - net.ipv4.conf.all.src_valid_mark=1").Sysctls);
    }

    [Fact]
    public void Map_Logging_DriverAndOptions()
    {
        var web = Web("logging:\n  driver: json-file\n  options:\n    max-size: 50m\n    max-file: 5");
        Assert.Equal("json-file", web.Logging!.Driver);
        Assert.Equal(new SortedDictionary<string, string> { ["max-file"] = "5", ["max-size"] = "50m" }, web.Logging.Options);
    }

    [Fact]
    public void Map_LoggingUnknownKey_SuggestsTheRightOne() =>
        Assert.Contains("did you mean 'options'?", Error("logging:\n  driver: local\n  option:\n    max-size: 1m").Message, StringComparison.Ordinal);

    [Fact]
    public void Map_MemswapLimit_BytesOrUnlimited()
    {
        Assert.Equal(2L * 1024 * 1024 * 1024, Web("mem_limit: 1g\nmemswap_limit: 2g").Resources.MemorySwapBytes);
        Assert.Equal(-1, Web("mem_limit: 1g\nmemswap_limit: -1").Resources.MemorySwapBytes);
        Assert.Contains("below the memory limit", Error("mem_limit: 1g\nmemswap_limit: 512m").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_TmpfsWithFlags_KeepsSizeModeAndFlags()
    {
        var mount = Assert.Single(Web("tmpfs:\n  - /run:rw,noexec,nosuid,nodev,size=64m,mode=1777").Volumes);
        Assert.Equal((MountType.Tmpfs, "/run", 64L * 1024 * 1024, 1023), (mount.Type, mount.Target, mount.TmpfsSizeBytes, mount.TmpfsMode));
        Assert.Equal(["noexec", "nosuid", "nodev"], mount.TmpfsFlags);
        Assert.False(mount.ReadOnly);
    }

    [Fact]
    public void Map_LongTmpfsMode_IsOctal()
    {
        var mount = Assert.Single(Web("volumes:\n  - type: tmpfs\n    target: /cache\n    tmpfs:\n      size: 1m\n      mode: 0700").Volumes);
        Assert.Equal((1024L * 1024, Convert.ToInt32("700", 8)), (mount.TmpfsSizeBytes, mount.TmpfsMode));
    }

    [Fact]
    public void Map_UnknownTmpfsOption_NamesTheFlagsThatExist() =>
        Assert.Contains("use size=N, mode=OCTAL or the flags rw, ro, exec, noexec", Error("tmpfs: /run:noexecc").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("hostname: web_1", "'web_1' is not a valid hostname")]
    [InlineData("platform: amd64", "'amd64' is not a valid platform")]
    [InlineData("pull_policy: sometimes", "'sometimes' is not a valid pull_policy")]
    [InlineData("cpuset: all", "'all' is not a valid cpuset")]
    [InlineData("shm_size: big", "'big' is not a valid size")]
    public void Map_BadValue_IsAnErrorNamingIt(string body, string message) =>
        Assert.Contains(message, Error(body).Message, StringComparison.Ordinal);

    [Fact]
    public void Map_Placement_IsRecordedWithAWarning()
    {
        var result = TestLoad.Text("""
            services:
              web:
                image: nginx
                deploy:
                  placement:
                    constraints: [node.role==manager, node.labels.disk==ssd]
                    preferences:
                      - spread: node.labels.zone
                    max_replicas_per_node: 2
            """);
        var placement = result.App!.Services[0].Placement!;
        Assert.Equal(["node.role==manager", "node.labels.disk==ssd"], placement.Constraints);
        Assert.Equal(["node.labels.zone"], placement.Spread);
        Assert.Equal(2, placement.MaxReplicasPerNode);
        Assert.Contains(result.Diagnostics, d => d.Path == "services.web.deploy.placement" && d.Message.Contains("Swarm driver", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_Links_BecomeAliasesOnSharedNetworksAndDependencies()
    {
        var app = TestLoad.App("""
            services:
              app:
                image: wiki
                links: ["db:database", cache]
              db:
                image: postgres
              cache:
                image: redis
            """);
        var db = app.FindService("db")!;
        Assert.Equal(["database"], Assert.Single(db.Networks).Aliases);
        Assert.Empty(Assert.Single(app.FindService("cache")!.Networks).Aliases);
        Assert.Equal(["db", "cache"], app.FindService("app")!.DependsOn.Select(d => d.Service));
    }

    [Fact]
    public void Map_LinkToUndefinedService_IsAnErrorWithASuggestion()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  app:\n    image: a\n    links: [dbb]\n  db:\n    image: b\n"));
        Assert.Equal((4, 13, "services.app.links[0]"), (error.Line, error.Column, error.Path));
        Assert.Contains("links to undefined service 'dbb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'db'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_NetworkModeNoneAndService_LeaveNoNetworksAndDependOnTheTarget()
    {
        var app = TestLoad.App("""
            services:
              vpn:
                image: gluetun
              torrent:
                image: qbittorrent
                network_mode: "service:vpn"
              batch:
                image: worker
                network_mode: none
            """);
        var torrent = app.FindService("torrent")!;
        Assert.Equal(("service:vpn", 0), (torrent.NetworkMode, torrent.Networks.Count));
        Assert.Equal("vpn", Assert.Single(torrent.DependsOn).Service);
        Assert.Equal(("none", 0), (app.FindService("batch")!.NetworkMode, app.FindService("batch")!.Networks.Count));
    }

    [Theory]
    [InlineData("network_mode: none\nnetworks: [default]", "network_mode 'none' and networks are both set")]
    [InlineData("network_mode: \"service:db\"\nports: [\"80:80\"]", "'ports' cannot be used with network_mode 'service:db'")]
    [InlineData("network_mode: \"service:ghost\"", "shares the network stack of undefined service 'ghost'")]
    [InlineData("network_mode: overlay", "'overlay' is not a valid network_mode")]
    [InlineData("network_mode: none\nhostname: x\nexpose: [\"80\"]", "'expose' cannot be used with network_mode 'none'")]
    public void Map_BadNetworkMode_IsAnError(string body, string message) =>
        Assert.Contains(message, Error(body, "  db:\n    image: postgres").Message, StringComparison.Ordinal);

    [Fact]
    public void Map_Ipam_SubnetRangeAndGateway()
    {
        var app = TestLoad.App("""
            services:
              dns:
                image: cloudflared
                networks:
                  dns-net:
                    ipv4_address: 172.20.0.2
            networks:
              dns-net:
                ipam:
                  config:
                    - subnet: 172.20.0.0/24
                      ip_range: 172.20.0.0/25
                      gateway: 172.20.0.1
            """);
        var pool = Assert.Single(app.Networks.Single(n => n.Name == "dns-net").Ipam!.Config);
        Assert.Equal(new IpamPoolSpec("172.20.0.0/24") { IpRange = "172.20.0.0/25", Gateway = "172.20.0.1" }, pool);
    }

    [Fact]
    public void Map_IpamSubnetNotCidr_IsAnError()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  a:\n    image: a\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 172.20.0.0\n"));
        Assert.Equal((8, 19, "networks.n.ipam.config[0].subnet"), (error.Line, error.Column, error.Path));
    }

    [Fact]
    public void Map_EmptyBecauseAVariableIsUnset_GetsTheComposeDefaultAndAWarningNamingIt()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: nginx\n    restart: ${RESTART}\n    hostname: $HOST_NAME\n");
        var web = result.App!.Services[0];
        Assert.Equal(new RestartPolicySpec(), web.Restart);
        Assert.Null(web.Hostname);
        Assert.Contains(result.Diagnostics, d => d.Path == "services.web.restart" && d.Message.Contains("variable RESTART is not set: the compose default for it applies", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Path == "services.web.hostname" && d.Message.Contains("HOST_NAME", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_EmptyWrittenOnPurpose_IsStillAnError() =>
        Assert.Contains("is not a valid restart policy", Error("restart: ''").Message, StringComparison.Ordinal);

    [Fact]
    public void SpecJson_OfAServiceWithoutTheNewKeys_NamesNoneOfThem()
    {
        // SpecHash hashes this JSON: a new defaulted field would recreate every container on upgrade.
        var web = Web("ports: [\"80:80\"]\ntmpfs: /tmp\nmem_limit: 1g");
        Assert.DoesNotContain("\"readOnly\"", JsonSerializer.Serialize(web with { Volumes = [] }, ModelJsonContext.Default.ServiceSpec), StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(web, ModelJsonContext.Default.ServiceSpec);
        foreach (var name in new[] { "hostname", "init", "tty", "dns", "ulimits", "sysctls", "logging", "pullPolicy", "shmSizeBytes", "platform", "networkMode", "placement", "capAdd", "capDrop", "securityOpt", "privileged", "devices", "memorySwapBytes", "tmpfsMode", "tmpfsFlags", "groupAdd", "cpuShares" })
        {
            Assert.DoesNotContain($"\"{name}\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Map_PrivilegedKeysOfAnAllowedApp_AreAllRead()
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(TestLoad.ProjectDir, "compose.yaml"), """
                services:
                  web:
                    image: nginx
                    cap_add: [NET_ADMIN, cap_sys_time]
                    cap_drop: [ALL]
                    security_opt: ["no-new-privileges:true", "apparmor=unconfined"]
                    privileged: true
                    devices: ["/dev/fuse", "/dev/dri/renderD128:/dev/dri/renderD128:rw", {source: /dev/net/tun, permissions: r}]
                    pid: host
                    ipc: host
                    userns_mode: host
                """)],
            WorkingDirectory = TestLoad.ProjectDir,
            ProjectName = "app",
            Privilege = new PrivilegePolicy { AllowedApps = ["app"] },
        });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var web = result.App!.Services[0];
        Assert.Equal(["NET_ADMIN", "SYS_TIME"], web.CapAdd);
        Assert.Equal(["ALL"], web.CapDrop);
        Assert.Equal(["no-new-privileges:true", "apparmor=unconfined"], web.SecurityOpt);
        Assert.True(web.Privileged);
        Assert.Equal(
            [new DeviceSpec("/dev/fuse", "/dev/fuse"), new DeviceSpec("/dev/dri/renderD128", "/dev/dri/renderD128") { Permissions = "rw" }, new DeviceSpec("/dev/net/tun", "/dev/net/tun") { Permissions = "r" }],
            web.Devices);
        Assert.Equal(("host", "host", "host"), (web.Pid, web.Ipc, web.UsernsMode));
    }

    private static ComposeLoadResult OnEngine(string body, string engine) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(TestLoad.ProjectDir, "compose.yaml"), $"services:\n  web:\n    image: nginx\n{Indent(body)}\n")],
            WorkingDirectory = TestLoad.ProjectDir,
            ProjectName = "app",
            EnginePlatform = engine,
        });

    [Theory]
    [InlineData("platform: linux/amd64", true)]
    [InlineData("platform: linux/amd64/v3", true)]
    [InlineData("platform: linux/arm64", false)]
    [InlineData("platform: wasi/wasm\nruntime: io.containerd.wasmedge.v1", true)]
    public void Map_Platform_IsCheckedAgainstTheEngine(string body, bool loads)
    {
        var result = OnEngine(body, "linux/amd64");
        Assert.Equal(loads, result.Succeeded);
        if (!loads)
        {
            var error = TestLoad.SingleError(result);
            Assert.Equal("services.web.platform", error.Path);
            Assert.Contains("does not match the engine, which runs linux/amd64", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Map_PullPolicyBuildWithoutBuild_IsAnError() =>
        Assert.Contains("needs a 'build' section", Error("pull_policy: build").Message, StringComparison.Ordinal);

    [Fact]
    public void Map_TimeBasedPullPolicy_WarnsThatItIsNotApplied()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: nginx\n    pull_policy: every_12h\n");
        Assert.Equal("every_12h", result.App!.Services[0].PullPolicy);
        Assert.Contains(result.Diagnostics, d => d.Path == "services.web.pull_policy" && d.Message.Contains("not applied by Gantry", StringComparison.Ordinal));
    }
}
