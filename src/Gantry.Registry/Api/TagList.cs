using System.Text.Json.Serialization;

namespace Gantry.Registry.Api;

/// <summary>Body of GET /v2/&lt;name&gt;/tags/list.</summary>
public sealed record TagList(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);
