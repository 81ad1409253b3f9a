using System.Text.Json.Serialization;

namespace Gantry.Model;

/// <summary>Source-generated JSON for the model: the store's and the API's wire form.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(AppSpec))]
[JsonSerializable(typeof(ServiceSpec))]
[JsonSerializable(typeof(Status.AppStatus))]
[JsonSerializable(typeof(Releases.ReleaseRecord))]
[JsonSerializable(typeof(Releases.ReleaseState))]
[JsonSerializable(typeof(Environments.EnvironmentRecord))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
