using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Docker.Images;

/// <summary>
/// .dockerignore matching as the docker CLI does it: Go filepath.Match globs (<c>*</c>, <c>?</c>, <c>[a-z]</c>) plus
/// <c>**</c> for any number of directories, <c>!</c> exceptions, last match wins, and a pattern that matches a
/// directory also excludes everything below it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules = [];

    /// <summary>Parses the lines of a .dockerignore file (comments and blank lines are skipped).</summary>
    public DockerIgnore(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var exclude = true;
            if (line[0] == '!')
            {
                exclude = false;
                line = line[1..].Trim();
            }

            line = Clean(line);
            if (line.Length == 0)
            {
                continue;
            }

            _rules.Add((new Regex(ToRegex(line), RegexOptions.CultureInvariant), exclude));
            HasExceptions |= !exclude;
        }
    }

    /// <summary>True when a <c>!</c> pattern exists, so an excluded directory may still contain included files.</summary>
    public bool HasExceptions { get; }

    /// <summary>A matcher that excludes nothing.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>Reads <c>.dockerignore</c> from a context directory, or returns <see cref="Empty"/>.</summary>
    /// <exception cref="IOException"><c>.dockerignore</c> is a symbolic link: the context is sent without following
    /// links, and reading this one could read a file from outside the context.</exception>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new IOException($"'{path}' is a symbolic link (to '{target}'); a build context is read without following links, so make .dockerignore a regular file");
        }
        return File.Exists(path) ? new DockerIgnore(File.ReadAllLines(path)) : Empty;
    }

    /// <summary>Whether a context-relative path (forward slashes) is left out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = Clean(relativePath);
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (MatchesOrParentMatches(pattern, path))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static bool MatchesOrParentMatches(Regex pattern, string path)
    {
        if (pattern.IsMatch(path))
        {
            return true;
        }

        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (pattern.IsMatch(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" matches zero or more whole directories.
                        i++;
                        regex.Append("(.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('^') || set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
