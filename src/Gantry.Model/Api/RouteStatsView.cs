namespace Gantry.Model.Api;

/// <summary>One route of the current table with its recent traffic (`GET /api/v1/routes/stats`).</summary>
/// <param name="Requests">Requests the routers reported for this route since the server started.</param>
public sealed record RouteStatsView(string RouteId, string Entrypoint, IReadOnlyList<string> Hosts, long Requests)
{
    public string? PathPrefix { get; init; }

    public string? App { get; init; }

    public string? Service { get; init; }

    /// <summary>Replicas the route can send to now (weight 0 included).</summary>
    public int Destinations { get; init; }

    public long Status2xx { get; init; }

    public long Status3xx { get; init; }

    public long Status4xx { get; init; }

    public long Status5xx { get; init; }

    /// <summary>Median total time over the recent requests the server keeps; null without any.</summary>
    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }
}
