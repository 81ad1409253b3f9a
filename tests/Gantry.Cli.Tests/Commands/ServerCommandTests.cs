using Gantry.Cli.Tests.Support;

namespace Gantry.Cli.Tests.Commands;

public sealed class ServerCommandTests
{
    [Fact]
    public async Task Server_RelativeAllowHostPath_IsAUsageErrorBeforeAnythingStarts()
    {
        using var h = new CliHarness();

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"), "--allow-host-path", "srv/backups");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--allow-host-path 'srv/backups' is not an absolute path", h.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(h.Root, "data")));
    }

    [Fact]
    public async Task Server_RelativeEntryInGantryAllowHostPaths_IsAUsageError()
    {
        using var h = new CliHarness();
        h.Environment["GANTRY_ALLOW_HOST_PATHS"] = "/srv/backups:data";

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'data' is not an absolute path", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_AllowPrivilegeOfSomethingThatIsNotAnAppName_IsAUsageError()
    {
        using var h = new CliHarness();

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"), "--allow-privilege", "Media Server");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--allow-privilege 'Media Server' is not an app name", h.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(h.Root, "data")));
    }

    [Fact]
    public async Task Server_BadEntryInGantryAllowPrivilege_IsAUsageError()
    {
        using var h = new CliHarness();
        h.Environment["GANTRY_ALLOW_PRIVILEGE"] = "vpn,/srv";

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'/srv' is not an app name", h.Error, StringComparison.Ordinal);
    }
}
