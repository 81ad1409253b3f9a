using System.Text.Json.Serialization;
using Gantry.Model.Api.Identity;

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
[JsonSerializable(typeof(AppMetricsView))]
[JsonSerializable(typeof(AutoscaleView))]
[JsonSerializable(typeof(IReadOnlyList<AlertView>))]
[JsonSerializable(typeof(ReleaseView))]
[JsonSerializable(typeof(IReadOnlyList<ReleaseView>))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(RollbackResponse))]
[JsonSerializable(typeof(RollbackPreview))]
[JsonSerializable(typeof(DiskUsageView))]
[JsonSerializable(typeof(PruneReport))]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(IReadOnlyList<UserView>))]
[JsonSerializable(typeof(UserCreateRequest))]
[JsonSerializable(typeof(MembershipRequest))]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(TeamView))]
[JsonSerializable(typeof(IReadOnlyList<TeamView>))]
[JsonSerializable(typeof(TeamCreateRequest))]
[JsonSerializable(typeof(TokenCreateRequest))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(TokenCreated))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(WhoAmIView))]
[JsonSerializable(typeof(AuditEntryView))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntryView>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
