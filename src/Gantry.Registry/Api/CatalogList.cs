using System.Text.Json.Serialization;

namespace Gantry.Registry.Api;

/// <summary>Body of GET /v2/_catalog.</summary>
public sealed record CatalogList([property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories);
