namespace Gantry.Router.Contracts.Requests;

/// <summary>The body of one `POST /api/v1/router/requests`: the requests finished since the previous batch.</summary>
/// <param name="Requests">Oldest first.</param>
/// <param name="Dropped">Records this router lost since it started (ring overrun, batch cap, or the server unreachable).</param>
public sealed record RequestReportBatch(IReadOnlyList<RequestReport> Requests, long Dropped = 0)
{
    public IReadOnlyList<RequestReport> Requests { get; init; } = Requests ?? [];
}
