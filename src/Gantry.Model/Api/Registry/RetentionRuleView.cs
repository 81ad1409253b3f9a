namespace Gantry.Model.Api.Registry;

/// <summary>
/// A retention rule the registry's garbage collector applies to repositories matching <paramref name="Repository"/> (a name with
/// '*' wildcards): keep the <paramref name="KeepLast"/> newest tags and every tag matching <paramref name="KeepMatching"/>, delete
/// the other tags (and manifests no tag names any more). Also the body of `PUT /api/v1/registry/retention`.
/// </summary>
public sealed record RetentionRuleView(string Repository, int? KeepLast, string? KeepMatching);
