using Gantry.Compose.Privilege;

namespace Gantry.Compose.Tests.Privilege;

/// <summary>Keys that give a container power over the host are refused, at their line and with the way to allow them, unless the admin allowed the app; keys that only take privilege away always load.</summary>
public sealed class PrivilegePolicyTests
{
    private static ComposeLoadResult Load(string body, PrivilegePolicy? policy = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(TestLoad.ProjectDir, "compose.yaml"), $"services:\n  vpn:\n    image: wireguard\n{string.Join("\n", body.Split('\n').Select(l => "    " + l))}\n")],
            WorkingDirectory = TestLoad.ProjectDir,
            ProjectName = "homelab",
            Privilege = policy ?? PrivilegePolicy.Refused,
        });

    [Theory]
    [InlineData("cap_add: [NET_ADMIN]", "services.vpn.cap_add[0]", "cap_add 'NET_ADMIN'")]
    [InlineData("cap_add: [ALL]", "services.vpn.cap_add[0]", "every capability")]
    [InlineData("privileged: true", "services.vpn.privileged", "privileged: true")]
    [InlineData("devices: [/dev/net/tun]", "services.vpn.devices[0]", "device '/dev/net/tun'")]
    [InlineData("security_opt: [seccomp:unconfined]", "services.vpn.security_opt[0]", "security_opt 'seccomp:unconfined'")]
    [InlineData("security_opt: [apparmor=unconfined]", "services.vpn.security_opt[0]", "loosens the container's confinement")]
    [InlineData("network_mode: host", "services.vpn.network_mode", "network_mode 'host'")]
    [InlineData("network_mode: container:other", "services.vpn.network_mode", "a container outside this app")]
    [InlineData("pid: host", "services.vpn.pid", "pid 'host'")]
    [InlineData("ipc: host", "services.vpn.ipc", "ipc 'host'")]
    [InlineData("userns_mode: host", "services.vpn.userns_mode", "userns_mode 'host'")]
    public void Load_PrivilegedKey_IsRefusedAtItsLineWithHowToAllowIt(string body, string path, string names)
    {
        var error = TestLoad.SingleError(Load(body));
        Assert.Equal((4, path), (error.Line, error.Path));
        Assert.Contains(names, error.Message, StringComparison.Ordinal);
        Assert.Contains("gantry server --allow-privilege homelab, or GANTRY_ALLOW_PRIVILEGE=homelab", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cap_drop: [ALL]")]
    [InlineData("cap_drop: [ALL]\ncap_add: [CHOWN, SETUID, SETGID, NET_BIND_SERVICE]")]
    [InlineData("security_opt: [\"no-new-privileges:true\"]")]
    [InlineData("security_opt: [no-new-privileges]")]
    [InlineData("read_only: true")]
    [InlineData("privileged: false")]
    [InlineData("ipc: shareable")]
    [InlineData("network_mode: none")]
    [InlineData("network_mode: bridge")]
    public void Load_KeyThatOnlyTakesPrivilegeAway_LoadsWithoutPermission(string body)
    {
        var result = Load(body);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("homelab")]
    [InlineData("*")]
    public void Load_AppAllowedByName_OrEveryApp_Loads(string allowed)
    {
        var result = Load("cap_add: [NET_ADMIN, SYS_MODULE]\ndevices: [/dev/net/tun]\nnetwork_mode: host", new PrivilegePolicy { AllowedApps = [allowed] });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["NET_ADMIN", "SYS_MODULE"], result.App!.Services[0].CapAdd);
    }

    [Fact]
    public void Load_AnotherAppAllowed_StillRefusesThisOne() =>
        Assert.Contains("for app 'homelab'", TestLoad.SingleError(Load("privileged: true", new PrivilegePolicy { AllowedApps = ["media"] })).Message, StringComparison.Ordinal);

    [Fact]
    public void Load_EveryPrivilegedKey_IsReportedAtOnce()
    {
        var result = Load("cap_add: [NET_ADMIN]\nprivileged: true\npid: host");
        Assert.Equal(["services.vpn.cap_add[0]", "services.vpn.privileged", "services.vpn.pid"], result.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("cap_add: [NET_ADMN]", "did you mean 'NET_ADMIN'?")]
    [InlineData("security_opt: [seccomp=/etc/profile.json]", "seccomp profile file, which is not supported by Gantry")]
    [InlineData("security_opt: [nonsense]", "not a security option the engine knows")]
    [InlineData("devices: [dri]", "use an absolute host device path")]
    [InlineData("devices: [\"/dev/fuse:/dev/fuse:rx\"]", "device permissions 'rx' are not valid")]
    [InlineData("pid: \"service:db\"", "not supported by Gantry yet")]
    [InlineData("ipc: everything", "'everything' is not a valid ipc")]
    [InlineData("network_mode: host\nsysctls: [net.core.somaxconn=1024]", "cannot be set with network_mode 'host'")]
    public void Load_InvalidPrivilegedValue_IsAnErrorEvenWhenAllowed(string body, string message) =>
        Assert.Contains(message, TestLoad.SingleError(Load(body, PrivilegePolicy.Unrestricted)).Message, StringComparison.Ordinal);
}
