using System.Net.Http;
using System.Net.Sockets;

namespace Gantry.LoadGen;

/// <summary>Maps what HttpClient throws to a <see cref="RequestErrorKind"/>, looking through wrapped exceptions for the socket error.</summary>
public static class ErrorClassifier
{
    /// <summary>The kind of failure <paramref name="exception"/> stands for (timeouts are decided by the caller, who owns the timer).</summary>
    public static RequestErrorKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => RequestErrorKind.ConnectionRefused,
                    SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => RequestErrorKind.ConnectionReset,
                    SocketError.TimedOut => RequestErrorKind.Timeout,
                    _ => RequestErrorKind.ConnectionError,
                };
            }
        }
        if (exception is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.ResponseEnded => RequestErrorKind.ResponseEnded,
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError => RequestErrorKind.ConnectionError,
                _ => RequestErrorKind.Other,
            };
        }
        if (exception is IOException)
        {
            // A body read that ends early surfaces as a bare IOException ("The response ended prematurely").
            return RequestErrorKind.ResponseEnded;
        }
        return RequestErrorKind.Other;
    }
}
