namespace Gantry.Model.Api.Registry;

/// <summary>
/// One repository (`gantry registry tags REPO`): its tags newest first, the manifests no tag names (deletable by digest), the
/// retention rules that apply to it, and whether the caller may delete in it (the registry's own grant: admins).
/// </summary>
public sealed record RepositoryDetail(string Name, string? Team, IReadOnlyList<TagView> Tags, IReadOnlyList<ManifestView> Untagged,
    IReadOnlyList<RetentionRuleView> Retention, bool CanDelete);
