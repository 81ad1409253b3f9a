using System.Text.Json.Serialization;

namespace Gantry.Server.Identity;

/// <summary>Source-generated JSON for the identity records the store keeps.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(TeamRecord))]
[JsonSerializable(typeof(TokenRecord))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
