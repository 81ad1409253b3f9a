using System.Text.Json.Serialization;

namespace Gantry.Registry.Api;

/// <summary>One entry of the OCI error body.</summary>
public sealed record OciError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] string? Detail);
