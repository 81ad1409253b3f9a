namespace Gantry.Model.Api.Registry;

/// <summary>
/// One repository (`gantry registry tags REPO`): its tags newest first, the retention rules that apply to it, and whether the
/// caller may delete in it (the registry's own grant: admins, in every team).
/// </summary>
public sealed record RepositoryDetail(string Name, string? Team, IReadOnlyList<TagView> Tags, IReadOnlyList<RetentionRuleView> Retention, bool CanDelete);
