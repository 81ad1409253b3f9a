using Gantry.Router.Contracts.Requests;
using Gantry.Router.Observability;

namespace Gantry.Router.Forwarder;

/// <summary>What one attempt's result means for the request, the same on both paths (Kestrel's and the plain front's): whether
/// it counts against the destination, whether another destination may be tried, and how the request ends.</summary>
/// <remarks>Pure: the paths keep their own loops (the Kestrel path also holds requests for a wake and sticks to a cookie's
/// replica), and only decide through here.</remarks>
public static class RetryPolicy
{
    /// <summary>Attempts per request: the first, and at most two more on other destinations.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Whether the attempt counts as a failure of the destination for passive health.</summary>
    public static bool UpstreamFailed(ForwarderError error, int status) =>
        error is ForwarderError.ConnectFailed or ForwarderError.RequestFailed or ForwarderError.Timeout or ForwarderError.ResponseBodyUpstream
            or ForwarderError.PeerLost
        || status >= 500;

    /// <summary>Whether the attempt found the destination's address unreachable (it ejects the destination at once).</summary>
    public static bool Unreachable(ForwarderError error) => error is ForwarderError.ConnectFailed or ForwarderError.PeerLost;

    /// <summary>
    /// Whether a transport failure says the replica's machine is gone rather than that the replica answered badly: the
    /// dead-peer timeout (keepalive or TCP_USER_TIMEOUT: ETIMEDOUT), or the host or its network unreachable on an open
    /// connection (a Swarm overlay forgets a down node's addresses, and the kernel then fails the connection's sends).
    /// </summary>
    public static bool IsPeerLost(Exception exception) =>
        IsLostPeerError(exception as System.Net.Sockets.SocketException) || IsLostPeerError(exception.InnerException as System.Net.Sockets.SocketException);

    private static bool IsLostPeerError(System.Net.Sockets.SocketException? exception) =>
        exception?.SocketErrorCode is System.Net.Sockets.SocketError.TimedOut or System.Net.Sockets.SocketError.HostUnreachable
            or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostDown;

    /// <summary>Whether another destination may be tried after an attempt that got no response head.</summary>
    /// <param name="retriedReused">Set when this allows the one retry of a request that failed on a kept connection.</param>
    public static bool MayTryAnother(ForwarderError error, RequestRecord record, bool idempotent, ref bool retriedReused)
    {
        if (error == ForwarderError.ConnectFailed)
        {
            // Nothing reached this destination: safe to try another one, whatever the method.
            return true;
        }

        if (error == ForwarderError.PeerLost && !retriedReused && idempotent)
        {
            // The replica's machine is gone (nothing acknowledged for the dead-peer timeout), so it will not run the request
            // if it has not already; a method that may be repeated goes once more elsewhere, whatever the connection's age.
            retriedReused = true;
            return true;
        }

        if (error == ForwarderError.RequestFailed && !retriedReused && FailedOnReusedConnection(record) && idempotent)
        {
            // A pooled connection the backend had closed (or was closing): nothing came back, and the method may be repeated,
            // so one more try elsewhere.
            retriedReused = true;
            return true;
        }

        return false;
    }

    /// <summary>The attempt wrote its request on a connection that earlier requests had used (the forwarder records "reused").</summary>
    public static bool FailedOnReusedConnection(RequestRecord record) => record.FirstWriteTs != 0 && record.ConnectTicks < 0;

    /// <summary>RFC 9110 §9.2.2's idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE; TRACE is never forwarded).</summary>
    public static bool IsIdempotent(string method) =>
        method is "GET" or "HEAD" or "OPTIONS" or "PUT" or "DELETE";

    /// <summary>How the request ends after its last attempt: the outcome to record, and the status the router answers
    /// itself (0 when it sends nothing: the answer is the upstream's, or the connection is broken).</summary>
    public static (RequestOutcome Outcome, int LocalStatus) Conclude(ForwarderError error) => error switch
    {
        ForwarderError.None => (RequestOutcome.Ok, 0),
        ForwarderError.ClientAborted or ForwarderError.ResponseBodyClient => (RequestOutcome.ClientAborted, 0),
        // Kestrel found the body malformed while it streamed upstream: the client is still there and gets a 400.
        ForwarderError.ClientBadRequest => (RequestOutcome.BadRequest, 400),
        ForwarderError.Timeout => (RequestOutcome.Timeout, 504),
        // The status line is out (or about to be): breaking the connection is the only honest signal left.
        ForwarderError.ResponseBodyUpstream => (RequestOutcome.UpstreamError, 0),
        _ => (RequestOutcome.UpstreamError, 502),
    };

    /// <summary>nginx's convention for "client closed request", recorded when a client left before any status; it never
    /// reaches the client.</summary>
    public const int ClientClosedRequest = 499;
}
