using Gantry.Router.Contracts.Requests;

namespace Gantry.Router.Observability;

/// <summary>Everything the router knows about one request: identity, routing decision, sizes and phase timestamps.</summary>
/// <remarks>One instance per request is the only observability allocation on the hot path: it is filled in place (public
/// fields, no property overhead), then handed to the access-log channel and the recent-requests ring without copying.
/// Timestamps are TimeProvider ticks; the *Microseconds accessors convert them when the record is written.</remarks>
public sealed class RequestRecord
{
    public DateTimeOffset Time;
    public string Entrypoint = "";
    public string Host = "";
    public string Method = "";
    public string Path = "";
    public int Status;
    public string? RouteId;
    public string? ClusterId;
    public string? DestinationId;
    public long BytesIn;
    public long BytesOut;
    public int Attempts;
    public RequestOutcome Outcome;
    public string TraceId = "";
    public string RequestId = "";
    public string? Error;

    /// <summary>Tick frequency of the TimeProvider that produced the timestamps.</summary>
    public long Frequency;
    public long StartTs;
    public long MatchedTs;
    public long SendTs;
    public long FirstWriteTs;
    public long ConnectTicks = -1;
    public long HeadersTs;
    public long EndTs;

    /// <summary>Ticks the request was held while its service was woken from zero replicas; 0 when it was not held.</summary>
    public long HeldTicks;

    public long RouteMicroseconds => Micro(MatchedTs - StartTs);

    /// <summary>Held waiting for the first replica of a service at zero (<see cref="HeldTicks"/>); 0 when not held.</summary>
    public long HeldMicroseconds => Micro(HeldTicks);

    /// <summary>Waiting for a pooled connection (or for the new one, minus the connect itself); 0 when not observed.</summary>
    public long WaitMicroseconds => FirstWriteTs == 0 || SendTs == 0 ? 0 : Math.Max(0, Micro(FirstWriteTs - SendTs) - Math.Max(0, ConnectMicroseconds));

    /// <summary>TCP connect time of a new connection, or -1 when the request reused a pooled one.</summary>
    public long ConnectMicroseconds => ConnectTicks < 0 ? -1 : Micro(ConnectTicks);

    /// <summary>From writing the request to the upstream until its response headers arrived.</summary>
    public long UpstreamHeadersMicroseconds => HeadersTs == 0 ? 0 : Micro(HeadersTs - (FirstWriteTs != 0 ? FirstWriteTs : SendTs));

    public long BodyMicroseconds => HeadersTs == 0 ? 0 : Micro(EndTs - HeadersTs);

    public long TotalMicroseconds => Micro(EndTs - StartTs);

    private long Micro(long ticks) => Frequency == 0 ? 0 : ticks * 1_000_000 / Frequency;
}
