using Gantry.Server.Cluster;

namespace Gantry.Server.Tests.Cluster;

public sealed class EngineAddressTests
{
    [Theory]
    [InlineData("unix:///run/gantry-lab/node2.sock", "unix", false)]
    [InlineData("tcp://10.0.0.5:2375", "tcp", false)]
    [InlineData("https://10.0.0.5:2376", "https", true)]
    public void Parse_EngineUrl_GivesOptions(string url, string scheme, bool tls)
    {
        var (options, error) = EngineAddress.Parse(url, null);

        Assert.Null(error);
        Assert.Equal(scheme, options!.Endpoint.Scheme);
        Assert.Equal(tls, options.UseTls);
    }

    [Theory]
    [InlineData("", "no engine URL given")]
    [InlineData("10.0.0.5:2375", "is not an engine URL")]
    [InlineData("ftp://10.0.0.5:21", "is not an engine URL")]
    [InlineData("tcp://nowhere", "'tcp://nowhere' has no port")]
    [InlineData("unix://", "names no socket")]
    public void Parse_NotAnEngineUrl_NamesTheValueAndTheForm(string url, string expected)
    {
        var (options, error) = EngineAddress.Parse(url, null);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("tcp://HOST:2375", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingCertificateDirectory_Refused()
    {
        var (options, error) = EngineAddress.Parse("https://10.0.0.5:2376", "/nonexistent/gantry-certs");

        Assert.Null(options);
        Assert.Contains("'/nonexistent/gantry-certs' does not exist", error, StringComparison.Ordinal);
    }
}
