using Gantry.Router.Routing;

namespace Gantry.Router.Tests.Routing;

public class AuthorityTests
{
    [Theory]
    [InlineData("app.test", true)]
    [InlineData("app.test.", true)]
    [InlineData("app.test:", true)]
    [InlineData("app.test:1", true)]
    [InlineData("app.test:65535", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("app.test:0", false)]
    [InlineData("app.test:65536", false)]
    [InlineData("app.test:70000", false)]
    [InlineData("app.test:123456", false)]
    [InlineData("app.test:80a", false)]
    [InlineData("app.test:-1", false)]
    [InlineData("app.test:80:80", false)]
    [InlineData("[::1]:70000", false)]
    [InlineData("[::1]x", false)]
    [InlineData("[::1", false)]
    public void HasValidPort_Authority_AcceptsOnlyPortsThatCanExist(string authority, bool expected)
    {
        Assert.Equal(expected, Authority.HasValidPort(authority));
    }
}
