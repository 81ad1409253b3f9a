using System.Text;
using Gantry.Router.Upstream;

namespace Gantry.Router.Tests.Upstream;

public class Http1ResponseParserTests
{
    private static (HeadParseResult Result, ResponseHead Head, int Consumed, string? Error) Parse(string text, ResponseHead? head = null)
    {
        head ??= new ResponseHead();
        var bytes = Encoding.Latin1.GetBytes(text);
        var result = Http1ResponseParser.TryParse(bytes, head, out var consumed, out var error);
        return (result, head, consumed, error);
    }

    [Fact]
    public void TryParse_WholeHead_StatusFieldsAndWhereTheBodyStarts()
    {
        const string Text = "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nX-A:  spaced \t\r\n\r\nabc";
        var (result, head, consumed, _) = Parse(Text);

        Assert.Equal(HeadParseResult.Complete, result);
        Assert.Equal((201, 1, 3L), (head.Status, head.MinorVersion, head.ContentLength));
        Assert.Equal(["Content-Type", "Content-Length", "X-A"], head.Names[..head.Count]);
        Assert.Equal(["text/plain", "3", "spaced"], head.Values[..head.Count]);
        Assert.Equal(Text.Length - 3, consumed);
        Assert.True(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 2")]
    [InlineData("")]
    public void TryParse_NoEmptyLineYet_Incomplete(string text) => Assert.Equal(HeadParseResult.Incomplete, Parse(text).Result);

    [Fact]
    public void TryParse_BareLineFeeds_Accepted()
    {
        var (result, head, consumed, _) = Parse("HTTP/1.0 200\nServer: old\n\nbody");

        Assert.Equal(HeadParseResult.Complete, result);
        Assert.Equal((200, 0, "old"), (head.Status, head.MinorVersion, head.Values[0]));
        Assert.Equal(26, consumed);
        Assert.False(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n", "obsolete line folding")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", "malformed header line")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header name")]
    [InlineData("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "malformed header name")]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\u0001b\r\n\r\n", "control character")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", "malformed status line")]
    [InlineData("HTTP/2 200 OK\r\n\r\n", "malformed status line")]
    [InlineData("ICY 200 OK\r\n\r\n", "malformed status line")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", "malformed status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", "malformed Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "malformed Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "conflicting Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n", "conflicting Content-Length")]
    public void TryParse_WhatAProxyMustNotPassOn_MalformedWithTheReason(string text, string reason)
    {
        var (result, _, _, error) = Parse(text);

        Assert.Equal(HeadParseResult.Malformed, result);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SameContentLengthListed_Accepted()
    {
        var (result, head, _, _) = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n");

        Assert.Equal((HeadParseResult.Complete, 5L), (result, head.ContentLength));
    }

    [Theory]
    [InlineData("chunked", true, false)]
    [InlineData("gzip, chunked", true, false)]
    [InlineData("Chunked", true, false)]
    [InlineData("chunked, gzip", false, true)]
    [InlineData("gzip", false, true)]
    public void TryParse_TransferEncoding_ChunkedOnlyWhenLast(string value, bool chunked, bool other)
    {
        var (_, head, _, _) = Parse($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {value}\r\n\r\n");

        Assert.Equal((chunked, other), (head.Chunked, head.OtherTransferEncoding));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: X-Trace, Close\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", true)]
    public void KeepAlive_FollowsVersionAndConnection(string text, bool keepAlive) => Assert.Equal(keepAlive, Parse(text).Head.KeepAlive);

    [Fact]
    public void TryParse_ConnectionNamesFields_TheyAreListed()
    {
        var (_, head, _, _) = Parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\n");

        Assert.Equal("keep-alive, X-Hop", head.ConnectionTokens);
    }

    [Fact]
    public void TryParse_SameFieldsAsTheLastResponse_ReusesTheirStrings()
    {
        var head = new ResponseHead();
        Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Fri, 04 Dec 2026 16:00:00 GMT\r\n\r\n", head);
        var type = head.Values[0];
        var name = head.Names[1];
        var date = head.Values[1];

        Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Fri, 04 Dec 2026 16:00:01 GMT\r\n\r\n", head);

        Assert.Same(type, head.Values[0]);
        Assert.Same(name, head.Names[1]);
        Assert.NotSame(date, head.Values[1]);
        Assert.Equal("Fri, 04 Dec 2026 16:00:01 GMT", head.Values[1]);
    }

    [Theory]
    [InlineData("X-B@d: 1", "malformed header name")]
    [InlineData("X-A: 1\u0001", "control character in header X-A")]
    public void TryParse_AfterAGoodResponse_ANewBadFieldAtTheSamePlaceIsStillRefused(string field, string error)
    {
        // The field cache skips the checks for bytes it has seen; new bytes at a cached position are checked as ever.
        var head = new ResponseHead();
        Assert.Equal(HeadParseResult.Complete, Parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n", head).Result);

        var (result, _, _, message) = Parse($"HTTP/1.1 200 OK\r\n{field}\r\n\r\n", head);

        Assert.Equal(HeadParseResult.Malformed, result);
        Assert.StartsWith(error, message);
    }

    [Fact]
    public void TryParse_Fields_KnowWhatTheyMeanToTheRouter_AlsoWhenCached()
    {
        const string Text = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nProxy-X: 1\r\nServer: s\r\n\r\n";
        var head = new ResponseHead();
        ResponseFieldKind[] expected =
        [
            ResponseFieldKind.ContentLength, ResponseFieldKind.Connection, ResponseFieldKind.HopByHop, ResponseFieldKind.HopByHop,
            ResponseFieldKind.Other,
        ];

        Parse(Text, head);
        Assert.Equal(expected, head.Kinds[..head.Count]);
        Parse(Text, head);
        Assert.Equal(expected, head.Kinds[..head.Count]);
        Assert.Equal(2, head.ContentLength);
    }

    [Fact]
    public void TryParse_NonAsciiValue_KeptByteForByte()
    {
        var (_, head, _, _) = Parse("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"\u00e9t\u00e9.txt\"\r\n\r\n");

        Assert.Equal("attachment; filename=\"\u00e9t\u00e9.txt\"", head.Values[0]);
    }

    [Theory]
    [InlineData(200, false, true)]
    [InlineData(200, true, false)]
    [InlineData(204, false, false)]
    [InlineData(304, false, false)]
    [InlineData(101, false, false)]
    [InlineData(404, false, true)]
    public void HasBody_ByStatusAndMethod(int status, bool head, bool expected) => Assert.Equal(expected, Http1ResponseParser.HasBody(status, head));
}
