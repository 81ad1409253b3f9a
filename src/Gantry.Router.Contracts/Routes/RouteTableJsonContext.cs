using System.Text.Json.Serialization;

namespace Gantry.Router.Contracts.Routes;

/// <summary>Source-generated JSON for the route table contract (camelCase, TimeSpan as "hh:mm:ss"), shared by the server that produces it.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RouteTableSpec))]
[JsonSerializable(typeof(FeedLine))]
public sealed partial class RouteTableJsonContext : JsonSerializerContext;
