namespace Gantry.Registry;

/// <summary>Repository patterns: an exact name, or '*' wildcards matching any run of characters, '/' included ("*", "team/*", "*/public").</summary>
public static class RepositoryPatterns
{
    public static bool Matches(string pattern, string repository)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, repository, StringComparison.Ordinal);
        }

        // Greedy glob with backtracking to the last star: linear in practice for registry names.
        int p = 0, r = 0, star = -1, mark = 0;
        while (r < repository.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = r;
            }
            else if (p < pattern.Length && pattern[p] == repository[r])
            {
                p++;
                r++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                r = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
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
