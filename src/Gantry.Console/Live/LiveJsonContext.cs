using System.Text.Json.Serialization;

namespace Gantry.Console.Live;

/// <summary>The live notices' JSON (source-generated, camelCase like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LiveChange))]
public sealed partial class LiveJsonContext : JsonSerializerContext;
