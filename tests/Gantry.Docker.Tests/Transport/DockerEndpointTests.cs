using Gantry.Docker.Transport;

namespace Gantry.Docker.Tests.Transport;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock", "/var/run/docker.sock", null, 0, false)]
    [InlineData("tcp://10.0.0.5:2375", null, "10.0.0.5", 2375, false)]
    [InlineData("tcp://docker.internal", null, "docker.internal", 2375, false)]
    [InlineData("https://docker.internal:2376", null, "docker.internal", 2376, true)]
    public void Parse_SupportedSchemes_ReturnsEndpoint(string uri, string? socket, string? host, int port, bool tls)
    {
        var endpoint = DockerEndpoint.Parse(new Uri(uri), useTls: false);

        Assert.Equal(new DockerEndpoint(socket, host, port, tls), endpoint);
    }

    [Fact]
    public void Parse_TcpWithTlsOption_UsesHttpsAndDefaultTlsPort()
    {
        var endpoint = DockerEndpoint.Parse(new Uri("tcp://docker.internal"), useTls: true);

        Assert.Equal(new Uri("https://docker.internal:2376"), endpoint.BaseAddress);
    }

    [Fact]
    public void Parse_UnknownScheme_NamesTheValueAndTheFix()
    {
        var ex = Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse(new Uri("ssh://host"), useTls: false));

        Assert.Contains("ssh://host", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unix://", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOptions_DockerHostSet_UsesIt()
    {
        var options = DockerEnvironment.ReadOptions(name => name == "DOCKER_HOST" ? "tcp://127.0.0.1:2375" : null);

        Assert.Equal(new Uri("tcp://127.0.0.1:2375"), options.Endpoint);
        Assert.False(options.UseTls);
    }

    [Fact]
    public void ReadOptions_NothingSet_UsesDefaultSocket()
    {
        var options = DockerEnvironment.ReadOptions(_ => null);

        Assert.Equal(DockerClientOptions.DefaultEndpoint, options.Endpoint);
    }

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.45", "1.45")]
    [InlineData("1.47", "1.45")]
    [InlineData("", "1.45")]
    public void Choose_ServerVersion_PicksLowerOfBoth(string server, string expected)
    {
        Assert.Equal(expected, ApiVersionNegotiation.Choose(server, "1.45"));
    }

    [Fact]
    public void DockerTime_NanosecondTimestamp_ParsesAndFormatsUnixSeconds()
    {
        Assert.True(DockerTime.TryParseRfc3339("2024-05-01T10:00:00.123456789Z", out var parsed));

        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), parsed);
        Assert.Equal("1714557600.123456700", DockerTime.ToUnixSeconds(parsed));
    }
}
