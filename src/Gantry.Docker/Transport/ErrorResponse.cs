namespace Gantry.Docker.Transport;

/// <summary>The daemon's error body: <c>{"message": "..."}</c>.</summary>
internal sealed record ErrorResponse(string? Message);
