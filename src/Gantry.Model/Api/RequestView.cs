namespace Gantry.Model.Api;

/// <summary>One request the router forwarded for an app (`GET /api/v1/apps/{app}/requests`), with where its time went.</summary>
/// <param name="Outcome">How it ended: Ok, ClientAborted, UpstreamError, Timeout, NoDestination, NoRoute or Local.</param>
/// <param name="TotalMs">From the router reading the request to the last byte of the response.</param>
public sealed record RequestView(DateTimeOffset Time, string Method, string Host, string Path, int Status, string Outcome, double TotalMs)
{
    public string? Entrypoint { get; init; }

    public string? RouteId { get; init; }

    public string? Service { get; init; }

    /// <summary>The replica (container name) that answered the last attempt.</summary>
    public string? Replica { get; init; }

    public int Attempts { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public string? TraceId { get; init; }

    public string? RequestId { get; init; }

    public string? Error { get; init; }

    /// <summary>Matching the route.</summary>
    public double RouteMs { get; init; }

    /// <summary>How long the router held the request while its service, scaled to zero, was woken; 0 when it was not.</summary>
    public double HeldMs { get; init; }

    /// <summary>Waiting for an upstream connection.</summary>
    public double WaitMs { get; init; }

    /// <summary>Opening a new upstream connection; null when a pooled one was reused.</summary>
    public double? ConnectMs { get; init; }

    /// <summary>From sending the request upstream until its response headers arrived.</summary>
    public double UpstreamMs { get; init; }

    /// <summary>Streaming the response body to the client.</summary>
    public double BodyMs { get; init; }
}
