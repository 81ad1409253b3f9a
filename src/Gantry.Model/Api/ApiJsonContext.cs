using System.Text.Json.Serialization;

namespace Gantry.Model.Api;

/// <summary>Source-generated JSON for everything the REST API sends and receives.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AppSummary))]
[JsonSerializable(typeof(IReadOnlyList<AppSummary>))]
[JsonSerializable(typeof(AppDetail))]
[JsonSerializable(typeof(ReplicaView))]
[JsonSerializable(typeof(IReadOnlyList<ReplicaView>))]
[JsonSerializable(typeof(EventView))]
[JsonSerializable(typeof(IReadOnlyList<EventView>))]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(DeployRequest))]
[JsonSerializable(typeof(DeployResponse))]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(RequestView))]
[JsonSerializable(typeof(IReadOnlyList<RequestView>))]
[JsonSerializable(typeof(RouteStatsView))]
[JsonSerializable(typeof(IReadOnlyList<RouteStatsView>))]
[JsonSerializable(typeof(Status.AppStatus))]
[JsonSerializable(typeof(ReleaseView))]
[JsonSerializable(typeof(IReadOnlyList<ReleaseView>))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(RollbackResponse))]
[JsonSerializable(typeof(DiskUsageView))]
[JsonSerializable(typeof(PruneReport))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
