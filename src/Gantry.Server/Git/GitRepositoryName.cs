using Gantry.Model;

namespace Gantry.Server.Git;

/// <summary>
/// The one path segment that names a repository: `APP.git`, where APP is a valid app name. Parsed before anything touches
/// the disk, so a name can never be a path (no `/`, `..`, `%2f`, upper case or control characters reach git or the file system).
/// </summary>
public static class GitRepositoryName
{
    public const string Suffix = ".git";

    /// <summary>The app a segment names, or an error that says what a repository name looks like.</summary>
    public static bool TryParse(string? segment, out string app, out string error)
    {
        app = "";
        error = "";
        if (string.IsNullOrEmpty(segment) || !segment.EndsWith(Suffix, StringComparison.Ordinal) || segment.Length == Suffix.Length)
        {
            error = $"'{Printable(segment)}' is not a repository: Gantry's repositories are named APP.git (http://HOST/git/APP.git)";
            return false;
        }
        var name = segment[..^Suffix.Length];
        if (!Names.IsValidAppName(name))
        {
            error = $"'{Printable(segment)}' is not a repository: the name before .git must be an app name (lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63)";
            return false;
        }
        app = name;
        return true;
    }

    /// <summary>At most 80 characters, control characters replaced: a hostile name is quoted back harmlessly.</summary>
    private static string Printable(string? value)
    {
        if (value is null)
        {
            return "";
        }
        var text = new string([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 80 ? text + "..." : text;
    }
}
