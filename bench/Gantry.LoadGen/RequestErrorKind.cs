namespace Gantry.LoadGen;

/// <summary>Why a request failed, or <see cref="None"/> when it got a 2xx answer.</summary>
public enum RequestErrorKind
{
    /// <summary>A 2xx answer with its whole body.</summary>
    None,

    /// <summary>An answer whose status is not 2xx.</summary>
    HttpStatus,

    /// <summary>No whole answer within the per-request timeout.</summary>
    Timeout,

    /// <summary>The TCP connect was refused (nothing listening).</summary>
    ConnectionRefused,

    /// <summary>The peer reset the connection.</summary>
    ConnectionReset,

    /// <summary>The connection closed before the answer (or its body) was complete.</summary>
    ResponseEnded,

    /// <summary>Any other socket or connect failure.</summary>
    ConnectionError,

    /// <summary>A malformed answer or anything else unexpected.</summary>
    Other,
}
