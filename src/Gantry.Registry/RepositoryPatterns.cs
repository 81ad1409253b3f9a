namespace Gantry.Registry;

/// <summary>Matching of repository patterns: an exact name, "*" for all, or a prefix followed by '*'.</summary>
public static class RepositoryPatterns
{
    public static bool Matches(string pattern, string repository)
    {
        if (pattern == "*")
        {
            return true;
        }

        return pattern.EndsWith('*')
            ? repository.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, repository, StringComparison.Ordinal);
    }

    public static bool MatchesAny(IReadOnlyList<string> patterns, string repository)
    {
        foreach (string p in patterns)
        {
            if (Matches(p, repository))
            {
                return true;
            }
        }

        return false;
    }
}
