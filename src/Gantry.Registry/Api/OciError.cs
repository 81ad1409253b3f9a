using System.Text.Json.Serialization;

namespace Gantry.Registry.Api;

/// <summary>One entry of the OCI error body.</summary>
public sealed record OciError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>The OCI error body: <c>{"errors":[...]}</c>.</summary>
public sealed record OciErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<OciError> Errors);
