namespace Gantry.Cli.Bundles;

/// <summary>
/// Picks the variables a deploy sends: only names that the compose files (every -f file and any
/// other *.yml/*.yaml up to three directories below the root, which include/extends may pull in)
/// and the root's .env mention, with their values from the CLI's own environment. The rest of the
/// caller's environment (tokens, keys) never leaves the machine.
/// </summary>
public static class VariableCollector
{
    /// <summary>How many directories below the root other YAML files are scanned.</summary>
    public const int MaxDepth = 3;

    /// <summary>Larger YAML files are data, not compose files someone includes; reading them would only slow every deploy.</summary>
    public const long MaxScannedBytes = 1024 * 1024;

    public static IReadOnlySet<string> ReferencedNames(BundleRoot bundle, IReadOnlyList<BundleEntry> entries)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var scanned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in bundle.Files)
        {
            if (scanned.Add(file))
            {
                VariableScanner.Scan(File.ReadAllText(Path.Combine(bundle.Root, file)), names);
            }
        }
        foreach (var entry in entries)
        {
            if (entry.IsDirectory || entry.Length > MaxScannedBytes || entry.RelativePath.Count(c => c == '/') > MaxDepth
                || !IsYaml(entry.RelativePath) || !scanned.Add(entry.RelativePath))
            {
                continue;
            }
            VariableScanner.Scan(File.ReadAllText(entry.FullPath), names);
        }
        var dotEnv = Path.Combine(bundle.Root, ".env");
        if (File.Exists(dotEnv))
        {
            VariableScanner.ScanDotEnv(File.ReadAllText(dotEnv), names);
        }
        return names;
    }

    /// <summary>The referenced names that are set in the environment, with their values.</summary>
    public static IReadOnlyDictionary<string, string> Collect(IEnumerable<string> names, Func<string, string?> getEnvironmentVariable)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (getEnvironmentVariable(name) is { } value)
            {
                variables[name] = value;
            }
        }
        return variables;
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
}
