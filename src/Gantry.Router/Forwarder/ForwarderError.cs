namespace Gantry.Router.Forwarder;

/// <summary>How one forwarding attempt ended; the hot path returns this instead of throwing.</summary>
public enum ForwarderError
{
    None,

    /// <summary>No connection could be made (refused, unreachable, connect timeout): safe to retry elsewhere if the body was not started.</summary>
    ConnectFailed,

    /// <summary>The upstream failed after the connection (reset, closed, malformed) before sending response headers: 502.</summary>
    RequestFailed,

    /// <summary>No response headers within the cluster's request timeout: 504.</summary>
    Timeout,

    /// <summary>The client aborted before the response started (or while uploading).</summary>
    ClientAborted,

    /// <summary>The upstream broke while streaming the response body; the client connection is aborted.</summary>
    ResponseBodyUpstream,

    /// <summary>The client stopped reading the response body.</summary>
    ResponseBodyClient,

    /// <summary>The client's request body was malformed (Kestrel rejected it while we streamed it): 400 if nothing was sent back yet.</summary>
    ClientBadRequest,

    /// <summary>The upstream's machine stopped answering before response headers: what was sent, or the keepalive probes,
    /// went unacknowledged for the dead-peer timeout, or its host became unreachable (its node died). 502, unless an
    /// idempotent request may go elsewhere.</summary>
    PeerLost,
}
