using Gantry.Model;
using Gantry.Compose.XGantry;

namespace Gantry.Compose.Tests.XGantry;

public sealed class GantryExtensionParserTests
{
    private static ServiceSpec Service(string xGantry) => new()
    {
        Name = "web",
        Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = xGantry },
    };

    [Theory]
    [InlineData("Shop.Example.COM", "shop.example.com")]
    [InlineData("shop.example.com.", "shop.example.com")]
    [InlineData("*.Example.com.", "*.example.com")]
    public void Parse_HostSpelledOtherwise_Normalised(string host, string expected)
    {
        var errors = new List<string>();

        var routing = GantryExtensionParser.Parse(Service($$"""{"host":"{{host}}","port":80}"""), errors);

        Assert.Empty(errors);
        Assert.Equal([expected], Assert.Single(routing!.Routes).Hosts);
    }

    [Theory]
    [InlineData("shop.example.com..")]
    [InlineData("shop..example.com")]
    [InlineData("shop.example.com:8080")]
    [InlineData("http://shop.example.com")]
    [InlineData("-shop.example.com")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234.example.com")]
    public void Parse_InvalidHost_RefusedWithPathAndExample(string host)
    {
        var errors = new List<string>();

        GantryExtensionParser.Parse(Service($$"""{"host":"{{host}}","port":80}"""), errors);

        var error = Assert.Single(errors);
        Assert.StartsWith("services.web.x-gantry.host: ", error, StringComparison.Ordinal);
        Assert.Contains($"'{host}'", error, StringComparison.Ordinal);
        Assert.Contains("e.g. shop.example.com", error, StringComparison.Ordinal);
    }
}
