using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Cli.Bundles;

/// <summary>
/// Which paths stay out of the bundle: `.git/`, `bin/`, `obj/` and `node_modules/` at any depth,
/// plus the patterns of a `.gantryignore` (a subset of .gitignore: `*`, `**`, `?`, a leading `/`
/// anchors to the root, a trailing `/` matches directories only, `!` re-includes, last match wins).
/// </summary>
public sealed class IgnoreRules
{
    public const string FileName = ".gantryignore";

    private static readonly string[] s_builtIn = [".git/", "bin/", "obj/", "node_modules/"];

    private readonly List<Rule> _rules = [];

    private IgnoreRules(IEnumerable<string> patterns)
    {
        foreach (var line in patterns)
        {
            var pattern = line.Trim();
            if (pattern.Length == 0 || pattern.StartsWith('#'))
            {
                continue;
            }
            var negate = pattern.StartsWith('!');
            if (negate)
            {
                pattern = pattern[1..];
            }
            var directoryOnly = pattern.EndsWith('/');
            pattern = pattern.TrimEnd('/');
            if (pattern.Length == 0)
            {
                continue;
            }
            // As in .gitignore: a slash anywhere but the end anchors the pattern to the root.
            var anchored = pattern.Contains('/', StringComparison.Ordinal);
            pattern = pattern.TrimStart('/');
            _rules.Add(new Rule(ToRegex(pattern, anchored), directoryOnly, negate));
        }
    }

    /// <summary>The built-in excludes only.</summary>
    public static IgnoreRules Default { get; } = new(s_builtIn);

    /// <summary>The built-in excludes plus the root's .gantryignore, when there is one.</summary>
    public static IgnoreRules Load(string root)
    {
        var file = Path.Combine(root, FileName);
        return File.Exists(file) ? Parse(File.ReadAllLines(file)) : Default;
    }

    public static IgnoreRules Parse(IEnumerable<string> gantryIgnoreLines) => new(s_builtIn.Concat(gantryIgnoreLines));

    /// <summary>Whether a path (relative to the root, '/' separators) is excluded.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var ignored = false;
        foreach (var rule in _rules)
        {
            if (rule.DirectoryOnly && !isDirectory)
            {
                continue;
            }
            if (rule.Pattern.IsMatch(relativePath))
            {
                ignored = !rule.Negate;
            }
        }
        return ignored;
    }

    private static Regex ToRegex(string pattern, bool anchored)
    {
        var regex = new StringBuilder(anchored ? "^" : "(^|/)");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more directories; a trailing "**" matches everything below.
                if (i + 2 < pattern.Length && pattern[i + 2] == '/')
                {
                    regex.Append("(.*/)?");
                    i += 2;
                }
                else
                {
                    regex.Append(".*");
                    i++;
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    private sealed record Rule(Regex Pattern, bool DirectoryOnly, bool Negate);
}
