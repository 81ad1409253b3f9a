using System.Text.RegularExpressions;

namespace Gantry.Model;

/// <summary>Rules for the names users choose, and the deterministic engine names Gantry derives from them.</summary>
public static partial class Names
{
    /// <summary>App and service names: what compose allows for project names, so every name is also a valid engine name part.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();

    public static bool IsValidAppName(string name) => name.Length is > 0 and <= 63 && NamePattern().IsMatch(name);

    /// <summary>Service names in compose may use upper case and dots; the engine names must not.</summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ServiceNamePattern();

    public static bool IsValidServiceName(string name) => name.Length is > 0 and <= 63 && ServiceNamePattern().IsMatch(name);

    public static string Container(string app, string service, int slot, string specHash) =>
        $"{app}-{service}-{slot}-{specHash[..Math.Min(8, specHash.Length)]}";

    public static string Network(string app, NetworkSpec network) => network.EngineName ?? $"{app}_{network.Name}";

    public static string Volume(string app, VolumeSpec volume) => volume.EngineName ?? $"{app}_{volume.Name}";
}
