using System.Text.Json;
using Gantry.Model.Api;

namespace Gantry.Model.Tests;

public class DeployRequestTests
{
    private static DeployRequest Parse(string json) => JsonSerializer.Deserialize(json, ApiJsonContext.Default.DeployRequest)!;

    [Fact]
    public void Deserialize_NullFields_TakeTheDefaults()
    {
        var request = Parse("""{"files":null,"profiles":null,"variables":null,"environment":null}""");

        Assert.Equal(["compose.yaml"], request.Files);
        Assert.Empty(request.Profiles);
        Assert.Empty(request.Variables);
        Assert.Equal("production", request.Environment);
    }

    [Fact]
    public void Deserialize_NullEntries_Dropped()
    {
        var request = Parse("""{"files":["compose.yaml",null],"variables":{"TAG":"v1","GONE":null}}""");

        Assert.Equal(["compose.yaml"], request.Files);
        Assert.Equal(new Dictionary<string, string> { ["TAG"] = "v1" }, request.Variables);
    }

    [Fact]
    public void Deserialize_Missing_TakeTheDefaults()
    {
        var request = Parse("{}");

        Assert.Equal(["compose.yaml"], request.Files);
        Assert.Empty(request.Variables);
        Assert.Equal("production", request.Environment);
    }
}
