using Gantry.Router.Contracts.Routes;

namespace Gantry.Router.Contracts.Status;

/// <summary>The router's status report to the server (`POST {server}/api/v1/router/status`): which table version is in force and where requests are still running.</summary>
/// <remarks>The server uses <see cref="TableVersion"/> to know that every router applied a swap, and <see cref="InFlight"/> to
/// know when a drained replica has finished its last request. Read and written with <see cref="RouterStatusJsonContext"/>.</remarks>
/// <param name="Router">The router's id ("host-pid-random" unless configured), stable for the life of the process.</param>
/// <param name="TableVersion">Version of the route table currently applied; 0 when none is.</param>
/// <param name="Time">When the report was taken (router clock).</param>
/// <param name="InFlight">Every destination with at least one request in flight, including ones a newer table removed.</param>
public sealed record RouterStatusReport(string Router, long TableVersion, DateTimeOffset Time, IReadOnlyList<DestinationInFlight> InFlight)
{
    /// <summary>Destinations of the applied table this router would not send a request to now (failing or not yet passed
    /// their active health check, or passively ejected), by id: the server swaps traffic to a release only when none of its
    /// replicas is listed by any router.</summary>
    public IReadOnlyList<string> Unready { get; init; } = [];

    /// <summary>Routes, clusters and destinations this router left out of the table it received (the rest is served):
    /// a table the server should never have published, so it is reported until a valid one arrives.</summary>
    public IReadOnlyList<RejectedEntry> Rejected { get; init; } = [];

    /// <summary>The certificates of the router's HTTPS entrypoint (none without one), so the server can warn before one
    /// expires. Left out of the JSON when empty.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<CertificateExpiry>? Certificates { get; init; }

    /// <summary>The router's last report, sent as it stops: it routes nothing any more, so the server forgets it at once
    /// instead of waiting out its silence. Left out of the JSON when false.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Leaving { get; init; }
}
