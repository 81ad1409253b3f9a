using Microsoft.Extensions.Logging;

namespace Gantry.Docker.Tests.System;

public sealed class SystemTests
{
    [Fact]
    public async Task PingAsync_RunningDaemon_ReturnsTrue()
    {
        await using var client = DockerClient.FromEnvironment();

        Assert.True(await client.System.PingAsync());
    }

    [Fact]
    public async Task VersionAsync_Engine20_NegotiatesServerVersion()
    {
        await using var client = DockerClient.FromEnvironment();

        var version = await client.System.VersionAsync();
        var negotiated = await client.System.GetApiVersionAsync();

        Assert.False(string.IsNullOrEmpty(version.Version));
        var expected = Version.Parse(version.ApiVersion) < Version.Parse(DockerClientOptions.MaxApiVersion)
            ? version.ApiVersion
            : DockerClientOptions.MaxApiVersion;
        Assert.Equal(expected, negotiated);
    }

    [Fact]
    public async Task InfoAsync_RunningDaemon_ReportsHostResources()
    {
        await using var client = DockerClient.FromEnvironment();

        var info = await client.System.InfoAsync();

        Assert.True(info.NCpu >= 1);
        Assert.True(info.MemTotal > 256L * 1024 * 1024);
        Assert.False(string.IsNullOrEmpty(info.Name));
        Assert.False(string.IsNullOrEmpty(info.ServerVersion));
        Assert.False(string.IsNullOrEmpty(info.OperatingSystem));
        Assert.Contains(info.CgroupVersion, new[] { "1", "2" });
        Assert.False(string.IsNullOrEmpty(info.Swarm?.LocalNodeState));
    }

    [Fact]
    public async Task Options_PinnedApiVersion_IsUsedWithoutNegotiation()
    {
        await using var client = new DockerClient(new DockerClientOptions { ApiVersion = "1.40" });

        var info = await client.System.InfoAsync();

        Assert.Equal("1.40", await client.System.GetApiVersionAsync());
        Assert.True(info.NCpu >= 1);
    }

    [Fact]
    public async Task InfoAsync_WithLogger_LogsNegotiationAndRequest()
    {
        var logger = new ListLogger<DockerClient>();
        await using var client = new DockerClient(new DockerClientOptions(), logger: logger);

        await client.System.InfoAsync();

        var negotiated = Assert.Single(logger.Entries, e => e.Id.Id == 4101);
        Assert.Equal(LogLevel.Information, negotiated.Level);
        Assert.Contains("unix:///var/run/docker.sock", negotiated.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Id.Id == 4102 && e.Message.StartsWith("GET /info -> OK", StringComparison.Ordinal));
    }
}
