using System.Text.Json.Serialization;
using Gantry.Registry.Auth;

namespace Gantry.Registry.Api;

/// <summary>Source-generated JSON for every body the registry reads or writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OciErrorBody))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(CatalogList))]
[JsonSerializable(typeof(TokenAccess[]))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryEvent))]
[JsonSerializable(typeof(WebhookEnvelope))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
