using Gantry.Cli.Tests.Support;

namespace Gantry.Cli.Tests.Commands;

public sealed class ServerCommandTests
{
    [Theory]
    [InlineData("--build-memory", "lots", "--build-memory 'lots' is not a size; use e.g. 512M or 2G")]
    [InlineData("--build-memory", "1M", "--build-memory 1048576 bytes is below the engine's minimum of 6MB")]
    [InlineData("--build-cpus", "many", "--build-cpus 'many' is not a number of CPUs")]
    [InlineData("--build-cpus", "0", "--build-cpus 0 is not a CPU count")]
    [InlineData("--build-timeout", "soon", "--build-timeout 'soon' is not a duration")]
    [InlineData("--build-concurrency", "0", "--build-concurrency 0 must be at least 1")]
    [InlineData("--build-retention", "-3", "--build-retention '-3' is not a whole number of builds")]
    [InlineData("--preview-domain", "bad_domain.test", "--preview-domain 'bad_domain.test' is not a domain name")]
    [InlineData("--preview-domain", "-x.test", "--preview-domain '-x.test' is not a domain name")]
    [InlineData("--preview-idle", "10s", "--preview-idle '10s' is not a duration of a minute or more")]
    public async Task Server_BadBuildLimit_IsAUsageErrorNamingTheValue(string option, string value, string message)
    {
        using var h = new CliHarness();

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"), option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, h.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(h.Root, "data")));
    }

    [Theory]
    [InlineData("http://10.99.0.1:7070")]
    [InlineData("10.99.0.1:7070/v2")]
    [InlineData("user@10.99.0.1:7070")]
    public async Task Server_RegistryAddressNotHostPort_IsAUsageErrorNamingTheValue(string value)
    {
        using var h = new CliHarness();

        var code = await h.RunAsync("server", "--data", Path.Combine(h.Root, "data"), "--registry-address", value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--registry-address '{value}' is not HOST:PORT", h.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(h.Root, "data")));
    }

    [Theory]
    [InlineData("10.99.0.1:7070", "10.99.0.1:7070")]
    [InlineData(" Registry.Example.com ", "registry.example.com")]
    [InlineData("", null)]
    public void RegistryAddress_HostPort_AsEnginesNameIt(string value, string? expected) =>
        Assert.Equal(expected, Gantry.Cli.Commands.ServerCommand.RegistryAddress(value));

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
