using System.Net.Sockets;

namespace Gantry.LoadGen.Tests;

public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, RequestErrorKind.ConnectionRefused)]
    [InlineData(SocketError.ConnectionReset, RequestErrorKind.ConnectionReset)]
    [InlineData(SocketError.HostUnreachable, RequestErrorKind.ConnectionError)]
    public void Classify_WrappedSocketError_ReturnsItsKind(SocketError code, RequestErrorKind expected)
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "failed", new IOException("io", new SocketException((int)code)));

        Assert.Equal(expected, ErrorClassifier.Classify(exception));
    }

    [Fact]
    public void Classify_ResponseEnded_ReturnsResponseEnded()
    {
        Assert.Equal(RequestErrorKind.ResponseEnded, ErrorClassifier.Classify(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
    }

    [Fact]
    public void Classify_BareIOException_ReturnsResponseEnded()
    {
        Assert.Equal(RequestErrorKind.ResponseEnded, ErrorClassifier.Classify(new IOException("The response ended prematurely.")));
    }

    [Fact]
    public void Classify_Unknown_ReturnsOther()
    {
        Assert.Equal(RequestErrorKind.Other, ErrorClassifier.Classify(new InvalidOperationException("odd")));
    }
}
