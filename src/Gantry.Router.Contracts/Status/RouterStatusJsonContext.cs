using System.Text.Json.Serialization;

namespace Gantry.Router.Contracts.Status;

/// <summary>Source-generated JSON (camelCase) for the router status heartbeat; the server deserializes with it too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RouterStatusReport))]
public sealed partial class RouterStatusJsonContext : JsonSerializerContext;
