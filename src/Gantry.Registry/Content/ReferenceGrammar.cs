using System.Text.RegularExpressions;

namespace Gantry.Registry.Content;

/// <summary>The distribution spec's grammar for repository names and tags, as pure checks.</summary>
public static partial class ReferenceGrammar
{
    /// <summary>Longest repository name accepted; the spec lets registries cap it and 255 matches docker's limit.</summary>
    public const int MaxNameLength = 255;

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();

    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NameRegex().IsMatch(name);

    public static bool IsValidTag(string tag) => TagRegex().IsMatch(tag);
}
