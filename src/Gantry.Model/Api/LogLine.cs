namespace Gantry.Model.Api;

/// <summary>One line of `GET /api/v1/apps/{app}/logs` (an NDJSON stream).</summary>
/// <param name="Stream">stdout or stderr.</param>
public sealed record LogLine(DateTimeOffset Time, string Service, string Replica, string Stream, string Text)
{
    /// <summary>The release the replica was created for, when known (lines from Gantry's log store carry it).</summary>
    public int? Release { get; init; }
}
