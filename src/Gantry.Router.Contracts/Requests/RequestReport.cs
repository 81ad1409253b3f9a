namespace Gantry.Router.Contracts.Requests;

/// <summary>One finished request as the router reports it to the server (`POST /api/v1/router/requests`).</summary>
/// <remarks>The wire shape is owned here, beside <see cref="RequestRecord"/>, like the route table is: the server reads it
/// with <see cref="RequestReportJsonContext"/>. Durations are microseconds; <see cref="ConnectMicroseconds"/> is -1 when a
/// pooled connection was reused.</remarks>
public sealed record RequestReport
{
    public DateTimeOffset Time { get; init; }

    public string Entrypoint { get; init; } = "";

    public string Host { get; init; } = "";

    public string Method { get; init; } = "";

    public string Path { get; init; } = "";

    public int Status { get; init; }

    public string? RouteId { get; init; }

    public string? ClusterId { get; init; }

    public string? DestinationId { get; init; }

    /// <summary>The destination's "app" label, when the route table gave it one.</summary>
    public string? App { get; init; }

    public string? Service { get; init; }

    public string? Replica { get; init; }

    public RequestOutcome Outcome { get; init; }

    public int Attempts { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public string TraceId { get; init; } = "";

    public string RequestId { get; init; } = "";

    public string? Error { get; init; }

    public long RouteMicroseconds { get; init; }

    /// <summary>How long the request was held while its service, at zero replicas, was woken; 0 when it was not.</summary>
    public long HeldMicroseconds { get; init; }

    public long WaitMicroseconds { get; init; }

    public long ConnectMicroseconds { get; init; } = -1;

    public long UpstreamHeadersMicroseconds { get; init; }

    public long BodyMicroseconds { get; init; }

    public long TotalMicroseconds { get; init; }
}
