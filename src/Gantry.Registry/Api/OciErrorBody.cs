using System.Text.Json.Serialization;

namespace Gantry.Registry.Api;

/// <summary>The OCI error body: <c>{"errors":[...]}</c>.</summary>
public sealed record OciErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<OciError> Errors);
