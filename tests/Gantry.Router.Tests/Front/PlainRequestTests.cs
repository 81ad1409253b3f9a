using System.Buffers;
using System.Text;
using Gantry.Router.Front;

namespace Gantry.Router.Tests.Front;

/// <summary>The front's request-head grammar: what it takes, and everything it leaves to Kestrel.</summary>
public class PlainRequestTests
{
    private static (PlainParse Result, PlainRequest Request) Parse(string text)
    {
        var request = new PlainRequest();
        return (request.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text))), request);
    }

    [Fact]
    public void PlainGet_Complete_WithItsParts()
    {
        var (result, r) = Parse("GET /a/b?x=1 HTTP/1.1\r\nHost: Shop.Example:8080\r\nAccept: */*\r\ntraceparent: t\r\nX-Request-Id: id\r\n\r\nGET /next");

        Assert.Equal(PlainParse.Complete, result);
        Assert.Equal(("GET", "/a/b", "Shop.Example:8080", "Shop.Example"), (r.Method, r.Path, r.Authority, r.Host));
        Assert.Equal("/a/b?x=1", Encoding.ASCII.GetString(r.Target));
        Assert.Equal(4, r.FieldCount);
        Assert.Equal("t", r.FieldString(r.TraceParentField));
        Assert.Equal("id", r.FieldString(r.RequestIdField));
        Assert.Equal("GET /a/b?x=1 HTTP/1.1\r\nHost: Shop.Example:8080\r\nAccept: */*\r\ntraceparent: t\r\nX-Request-Id: id\r\n\r\n".Length, r.Length);
    }

    [Fact]
    public void HeadSplitAcrossSegments_Complete()
    {
        var first = new Segment(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHo"));
        var last = first.Append(Encoding.ASCII.GetBytes("st: a\r\n\r\n"));
        var request = new PlainRequest();

        Assert.Equal(PlainParse.Complete, request.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
        Assert.Equal("a", request.Host);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n")]
    [InlineData("GET / HTT")]
    [InlineData("")]
    public void NoEndOfHead_Incomplete(string text) => Assert.Equal(PlainParse.Incomplete, Parse(text).Result);

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\n\r\n")]                              // a method that may carry a body
    [InlineData("get / HTTP/1.1\r\nHost: a\r\n\r\n")]                               // methods are case-sensitive
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\n\r\n")]
    [InlineData("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n")]                       // absolute form
    [InlineData("GET /a%20b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/./b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")]                              // two spaces
    [InlineData("GET / HTTP/1.1\r\n\r\n")]                                          // no Host
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]                    // two
    [InlineData("GET / HTTP/1.1\r\nHost: a:0\r\n\r\n")]                             // a port that cannot exist
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n")]                        // IPv6 literal: Kestrel's
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n")]         // obs-fold
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX A: 1\r\n\r\n")]                     // not a token
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n")]            // obs-text
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n")]             // a control character
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: y\r\n\r\n")]
    [InlineData("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]                           // a leading empty line
    public void OutsideTheSubset_Fallback(string text) => Assert.Equal(PlainParse.Fallback, Parse(text).Result);

    [Fact]
    public void HeadLongerThanTheFrontTakes_Fallback()
    {
        var text = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('x', PlainRequest.MaxHeadBytes) + "\r\n\r\n";

        Assert.Equal(PlainParse.Fallback, Parse(text).Result);
        Assert.Equal(PlainParse.Fallback, Parse(text[..(PlainRequest.MaxHeadBytes + 10)]).Result);
    }

    [Fact]
    public void TooManyFields_Fallback()
    {
        var text = "GET / HTTP/1.1\r\nHost: a\r\n" + string.Concat(Enumerable.Range(0, PlainRequest.MaxFields).Select(i => $"X-{i}: v\r\n")) + "\r\n";

        Assert.Equal(PlainParse.Fallback, Parse(text).Result);
    }

    [Theory]
    [InlineData("close", true, false)]
    [InlineData("keep-alive", false, false)]
    [InlineData("Keep-Alive, X-Drop", false, true)]
    [InlineData("X-Drop , close", true, true)]
    public void Connection_CloseAndNamedFields(string value, bool close, bool dropsXDrop)
    {
        var (result, r) = Parse($"GET / HTTP/1.1\r\nHost: a\r\nConnection: {value}\r\n\r\n");

        Assert.Equal(PlainParse.Complete, result);
        Assert.Equal(close, r.Close);
        Assert.Equal(dropsXDrop, r.IsNamedByConnection("x-drop"u8));
        Assert.False(r.IsNamedByConnection("X-Kept"u8));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
