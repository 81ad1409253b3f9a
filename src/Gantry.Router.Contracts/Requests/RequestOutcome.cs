namespace Gantry.Router.Contracts.Requests;

/// <summary>How a request ended, as written to the access log.</summary>
public enum RequestOutcome
{
    /// <summary>The upstream answered (any status) and the whole response reached the client.</summary>
    Ok,

    /// <summary>The client went away (or stopped reading) before the exchange finished; not an error of the router or backend.</summary>
    ClientAborted,

    /// <summary>Connect refused/failed, connection reset, or a broken upstream body: 502 if nothing was sent yet.</summary>
    UpstreamError,

    /// <summary>No response headers within the cluster's request timeout: 504.</summary>
    Timeout,

    /// <summary>The route matched but no destination was available: 503 with Retry-After.</summary>
    NoDestination,

    /// <summary>No route matched the host and path on this entrypoint: 404.</summary>
    NoRoute,

    /// <summary>Answered by the router itself (redirect to HTTPS, malformed request).</summary>
    Local,

    /// <summary>The request itself was malformed in a way Kestrel only finds while the body is read (a bad chunk size, a body
    /// shorter than its Content-Length): 400 when nothing was sent yet. Added last so the numeric values stay stable.</summary>
    BadRequest,
}
