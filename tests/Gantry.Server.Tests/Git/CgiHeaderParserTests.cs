using System.Text;
using Gantry.Server.Git;

namespace Gantry.Server.Tests.Git;

public sealed class CgiHeaderParserTests
{
    [Fact]
    public void FindBodyStart_CrLfHead_PointsJustAfterTheEmptyLine()
    {
        var bytes = Encoding.ASCII.GetBytes("Content-Type: text/plain\r\nStatus: 404 Not Found\r\n\r\nbody");

        var start = CgiHeaderParser.FindBodyStart(bytes);

        Assert.Equal("body", Encoding.ASCII.GetString(bytes, start, bytes.Length - start));
    }

    [Fact]
    public void FindBodyStart_LfOnlyHead_PointsJustAfterTheEmptyLine()
    {
        var bytes = Encoding.ASCII.GetBytes("Content-Type: x\n\n\u0001\u0002");

        Assert.Equal(bytes.Length - 2, CgiHeaderParser.FindBodyStart(bytes));
    }

    [Fact]
    public void FindBodyStart_HeadNotComplete_IsMinusOne()
    {
        Assert.Equal(-1, CgiHeaderParser.FindBodyStart(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\nExpires: Fri")));
        Assert.Equal(-1, CgiHeaderParser.FindBodyStart(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r")));
    }

    [Fact]
    public void Parse_StatusLine_SetsTheStatusAndKeepsOtherHeadersInOrder()
    {
        var head = CgiHeaderParser.Parse(Encoding.ASCII.GetBytes("Expires: Fri, 01 Jan 1980 00:00:00 GMT\r\nStatus: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n"), out var error);

        Assert.NotNull(head);
        Assert.Equal("", error);
        Assert.Equal(403, head.Status);
        Assert.Equal(["Expires", "Content-Type"], head.Headers.Select(h => h.Key));
        Assert.Equal("text/plain", head.Headers[1].Value);
    }

    [Fact]
    public void Parse_NoStatus_Is200()
    {
        var head = CgiHeaderParser.Parse(Encoding.ASCII.GetBytes("Content-Type: application/x-git-upload-pack-advertisement\n\n"), out _);

        Assert.Equal(200, head!.Status);
    }

    [Fact]
    public void Parse_LocationWithoutStatus_Is302()
    {
        Assert.Equal(302, CgiHeaderParser.Parse(Encoding.ASCII.GetBytes("Location: /elsewhere\r\n\r\n"), out _)!.Status);
    }

    [Theory]
    [InlineData("Status: abc\r\n\r\n", "invalid status")]
    [InlineData("Status: 4040 Nope\r\n\r\n", "invalid status")]
    [InlineData("Status: 099 Low\r\n\r\n", "invalid status")]
    [InlineData("this is not a header\r\n\r\n", "not 'Name: value'")]
    [InlineData(": empty name\r\n\r\n", "not 'Name: value'")]
    [InlineData("Bad Name: x\r\n\r\n", "not 'Name: value'")]
    public void Parse_Malformed_IsNullWithAReason(string text, string expected)
    {
        var head = CgiHeaderParser.Parse(Encoding.ASCII.GetBytes(text), out var error);

        Assert.Null(head);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
