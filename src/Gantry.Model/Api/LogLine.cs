namespace Gantry.Model.Api;

/// <summary>One line of `GET /api/v1/apps/{app}/logs` (an NDJSON stream).</summary>
/// <param name="Stream">stdout or stderr.</param>
public sealed record LogLine(DateTimeOffset Time, string Service, string Replica, string Stream, string Text);
