using Gantry.Model.Api;
using Gantry.Server.Apps;

namespace Gantry.Server.Tests.Apps;

public sealed class DeployRequestCheckTests
{
    [Fact]
    public void Check_InvalidAppName_Refused()
    {
        var (_, errors) = DeployRequestCheck.Check("Not..Valid", new DeployRequest());

        Assert.Contains(errors, e => e.Message.Contains("not a valid app name", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NullListsFromAHandWrittenRequest_TreatedAsEmpty()
    {
        var (request, errors) = DeployRequestCheck.Check("web", new DeployRequest { Variables = null!, Profiles = null!, Environment = null! });

        Assert.Empty(errors);
        Assert.Empty(request.Variables);
        Assert.Empty(request.Profiles);
        Assert.Equal("production", request.Environment);
    }

    [Theory]
    [InlineData("/etc/compose.yaml", "absolute")]
    [InlineData("../compose.yaml", "'..'")]
    [InlineData("sub/../../compose.yaml", "'..'")]
    [InlineData("", "empty")]
    public void Check_ComposeFileOutsideTheBundle_Refused(string file, string reason)
    {
        var (_, errors) = DeployRequestCheck.Check("web", new DeployRequest { Files = [file] });

        Assert.Contains(errors, e => e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NoComposeFile_Refused()
    {
        var (_, errors) = DeployRequestCheck.Check("web", new DeployRequest { Files = [] });

        Assert.Single(errors);
    }
}
