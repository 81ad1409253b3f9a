using Gantry.Router.Forwarder;
using Microsoft.Extensions.Primitives;

namespace Gantry.Router.Tests.Forwarder;

public class HeaderRulesTests
{
    [Theory]
    [InlineData("keep-alive, X-Secret", "X-Secret", true)]
    [InlineData("X-Secret", "x-secret", true)]
    [InlineData("keep-alive", "X-Secret", false)]
    [InlineData("keep-alive,X-A , X-B", "X-B", true)]
    public void IsNamedByConnection_TokensTrimmedAndCaseInsensitive(string connection, string name, bool named) =>
        Assert.Equal(named, HeaderRules.IsNamedByConnection(new StringValues(connection), name));

    [Theory]
    [InlineData("Connection", true)]
    [InlineData("keep-alive", true)]
    [InlineData("Proxy-Anything", true)]
    [InlineData("x-forwarded-for", true)]
    [InlineData("Traceparent", true)]
    [InlineData("X-Custom", false)]
    [InlineData("Accept", false)]
    public void SkipRequestHeader_BytesAgreeWithStrings(string name, bool skip)
    {
        Assert.Equal(skip, HeaderRules.SkipRequestHeader(name, isUpgrade: false));
        Assert.Equal(skip, HeaderRules.SkipRequestHeader(System.Text.Encoding.ASCII.GetBytes(name)));
    }
}
