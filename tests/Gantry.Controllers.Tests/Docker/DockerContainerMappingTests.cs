using System.Text.Json;
using Gantry.Controllers.Docker;
using Gantry.Controllers.Planning;
using Gantry.Controllers.Resources;
using Gantry.Model;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Docker;

/// <summary>Each runtime key of a service (issue 16) reaches the Engine API's create body, through the plan builder, exactly once and under the engine's name for it.</summary>
public sealed class DockerContainerMappingTests
{
    private static Gantry.Docker.Containers.ContainerCreateParameters Create(ServiceSpec service, AppSpec? app = null, int slot = 1, string? sharedStack = null)
    {
        app ??= App(service);
        var plan = ContainerPlanBuilder.Build(app, app.Services[0], slot, "sha256:img", "0123456789abcdef", 1, new ResourceDefaults());
        return DockerContainerMapping.ToCreateParameters(plan, "owner", sharedStack);
    }

    [Fact]
    public void Create_ServiceWithoutRuntimeKeys_SendsOnlyWhatItSentBefore()
    {
        var body = Create(Service("web"));
        var host = body.HostConfig!;
        Assert.Equal((null, null, null, null), (body.Hostname, body.Platform, body.Tty, body.OpenStdin));
        Assert.Null(host.ReadonlyRootfs);
        Assert.Null(host.Init);
        Assert.Null(host.Dns);
        Assert.Null(host.Ulimits);
        Assert.Null(host.CapAdd);
        Assert.Null(host.Privileged);
        Assert.Null(host.Tmpfs);
        Assert.Equal(host.Memory, host.MemorySwap);
        Assert.Equal(("json-file", "10m", "3"), (host.LogConfig!.Type, host.LogConfig.Config!["max-size"], host.LogConfig.Config["max-file"]));
    }

    [Fact]
    public void Create_RuntimeKeys_ReachTheCreateBody()
    {
        var body = Create(Service("web") with
        {
            Hostname = "web1",
            Domainname = "example.internal",
            ReadOnly = true,
            Init = true,
            Tty = true,
            StdinOpen = true,
            Dns = ["1.1.1.1"],
            DnsSearch = ["corp.example"],
            DnsOptions = ["ndots:2"],
            Ulimits = [new UlimitSpec("nofile", 1024, 4096)],
            Sysctls = new SortedDictionary<string, string> { ["net.core.somaxconn"] = "1024" },
            ShmSizeBytes = 64L << 20,
            Platform = "linux/amd64",
            Runtime = "runc",
            CpuShares = 512,
            Cpuset = "0",
            GroupAdd = ["audio"],
            Resources = new ResourcesSpec { MemoryLimitBytes = 256L << 20, MemorySwapBytes = 512L << 20 },
        });
        var host = body.HostConfig!;
        Assert.Equal(("web1", "example.internal", true, true, "linux/amd64"), (body.Hostname, body.Domainname, body.Tty, body.OpenStdin, body.Platform));
        Assert.Equal((true, true, 64L << 20, "runc"), (host.ReadonlyRootfs, host.Init, host.ShmSize, host.Runtime));
        Assert.Equal(["1.1.1.1"], host.Dns);
        Assert.Equal(["corp.example"], host.DnsSearch);
        Assert.Equal(["ndots:2"], host.DnsOptions);
        Assert.Equal(new Gantry.Docker.Containers.Ulimit { Name = "nofile", Soft = 1024, Hard = 4096 }, Assert.Single(host.Ulimits!));
        Assert.Equal("1024", host.Sysctls!["net.core.somaxconn"]);
        Assert.Equal((512L, "0", "audio"), (host.CpuShares, host.CpusetCpus, Assert.Single(host.GroupAdd!)));
        Assert.Equal((256L << 20, 512L << 20), (host.Memory, host.MemorySwap));
    }

    [Fact]
    public void Create_PrivilegedKeys_ReachTheCreateBody()
    {
        var host = Create(Service("web") with
        {
            CapAdd = ["NET_ADMIN"],
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges:true"],
            Privileged = true,
            Devices = [new DeviceSpec("/dev/fuse", "/dev/fuse") { Permissions = "rw" }],
            Pid = "host",
            Ipc = "host",
            UsernsMode = "host",
        }).HostConfig!;
        Assert.Equal(["NET_ADMIN"], host.CapAdd);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["no-new-privileges:true"], host.SecurityOpt);
        Assert.True(host.Privileged);
        Assert.Equal(new Gantry.Docker.Containers.DeviceMapping { PathOnHost = "/dev/fuse", PathInContainer = "/dev/fuse", CgroupPermissions = "rw" }, Assert.Single(host.Devices!));
        Assert.Equal(("host", "host", "host"), (host.PidMode, host.IpcMode, host.UsernsMode));
    }

    [Theory]
    [InlineData(null, null, "json-file", "max-size=10m max-file=3")]
    [InlineData("json-file", null, "json-file", "max-size=10m max-file=3")]
    [InlineData("json-file", "max-size=50m", "json-file", "max-size=50m")]
    [InlineData("json-file", "max-size=-1", "json-file", "max-size=-1")]
    [InlineData("local", "max-size=20m", "local", "max-size=20m")]
    [InlineData("none", null, "none", "")]
    public void ToLogConfig_UnboundedJsonFile_GetsTheBoundedDefaults(string? driver, string? options, string type, string expected)
    {
        var spec = driver is null && options is null ? null : new LoggingSpec
        {
            Driver = driver,
            Options = options is null ? new SortedDictionary<string, string>() : new SortedDictionary<string, string> { [options.Split('=')[0]] = options.Split('=')[1] },
        };
        var config = DockerContainerMapping.ToLogConfig(spec);
        Assert.Equal(type, config.Type);
        Assert.Equal(expected, string.Join(' ', (config.Config ?? new Dictionary<string, string>()).Select(o => $"{o.Key}={o.Value}")));
    }

    [Fact]
    public void Create_TmpfsWithFlags_GoesThroughHostConfigTmpfs_PlainOnesThroughMounts()
    {
        var host = Create(Service("web") with
        {
            Volumes =
            [
                new MountSpec(MountType.Tmpfs, null, "/run") { TmpfsSizeBytes = 65536, TmpfsMode = Convert.ToInt32("1777", 8), TmpfsFlags = ["noexec", "nosuid"] },
                new MountSpec(MountType.Tmpfs, null, "/cache") { TmpfsSizeBytes = 1024, TmpfsMode = Convert.ToInt32("700", 8) },
            ],
        }).HostConfig!;
        Assert.Equal("rw,noexec,nosuid,size=65536,mode=1777", Assert.Single(host.Tmpfs!).Value);
        var mount = Assert.Single(host.Mounts!);
        Assert.Equal(("/cache", 1024L, Convert.ToInt32("700", 8)), (mount.Target, mount.TmpfsOptions!.SizeBytes, mount.TmpfsOptions.Mode));
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("host", "host")]
    [InlineData("bridge", "bridge")]
    [InlineData("service:vpn", "container:abc123")]
    public void Create_NetworkMode_ReplacesTheAppNetwork(string mode, string expected)
    {
        var body = Create(Service("web") with { NetworkMode = mode, Networks = [] }, sharedStack: "abc123");
        Assert.Equal(expected, body.HostConfig!.NetworkMode);
        Assert.Null(body.NetworkingConfig);
    }

    [Fact]
    public void Create_StaticAddress_OnSlotOneOnly()
    {
        var service = Service("dns") with { Networks = [new ServiceNetworkSpec("dns-net") { Ipv4Address = "172.20.0.2" }] };
        var app = App(service) with { Networks = [new NetworkSpec("dns-net") { Ipam = new IpamSpec { Config = [new IpamPoolSpec("172.20.0.0/24")] } }] };
        Assert.Equal("172.20.0.2", Create(service, app).NetworkingConfig!.EndpointsConfig!.Values.Single().IPAMConfig!.IPv4Address);
        Assert.Null(Create(service, app, slot: 2).NetworkingConfig!.EndpointsConfig!.Values.Single().IPAMConfig);
    }

    [Fact]
    public void Create_Body_UsesTheEngineFieldNames()
    {
        var json = JsonSerializer.Serialize(Create(Service("web") with { ReadOnly = true, Hostname = "h", Ulimits = [new UlimitSpec("nofile", 1, 2)], Platform = "linux/amd64" }),
            new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        Assert.Contains("\"Hostname\":\"h\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ReadonlyRootfs\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1,\"Hard\":2}]", json, StringComparison.Ordinal);
        // The platform is a query parameter, not part of the body.
        Assert.DoesNotContain("linux/amd64", json, StringComparison.Ordinal);
    }
}
