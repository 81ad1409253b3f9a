using System.Text.Json.Serialization;

namespace Gantry.Router.Contracts.Requests;

/// <summary>Source-generated JSON for the request reports the router sends to the server.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RequestReportBatch))]
[JsonSerializable(typeof(WakeRequest))]
public sealed partial class RequestReportJsonContext : JsonSerializerContext;
