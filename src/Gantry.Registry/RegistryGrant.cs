namespace Gantry.Registry;

/// <summary>Actions a principal holds on repositories matching a pattern (exact name or with '*' wildcards, see RepositoryPatterns).</summary>
public sealed record RegistryGrant(string RepositoryPattern, RegistryActions Actions)
{
    public bool Matches(string repository) => RepositoryPatterns.Matches(RepositoryPattern, repository);
}
