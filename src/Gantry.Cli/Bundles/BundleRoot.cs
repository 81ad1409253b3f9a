namespace Gantry.Cli.Bundles;

/// <summary>
/// The directory a deploy uploads (the directory of the first -f file) and the compose files as
/// paths relative to it, with '/' separators, in -f order.
/// </summary>
public sealed record BundleRoot(string Root, IReadOnlyList<string> Files)
{
    /// <summary>Resolves the -f paths against <paramref name="workingDirectory"/>; every file must exist and lie inside the root.</summary>
    public static BundleRoot Resolve(IReadOnlyList<string> composeFiles, string workingDirectory)
    {
        if (composeFiles.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "no compose file given; pass -f compose.yaml");
        }
        var fullPaths = composeFiles.Select(f => Path.GetFullPath(f, workingDirectory)).ToList();
        var root = Path.GetDirectoryName(fullPaths[0])!;
        var relative = new List<string>(fullPaths.Count);
        for (var i = 0; i < fullPaths.Count; i++)
        {
            if (!File.Exists(fullPaths[i]))
            {
                throw new CliException(ExitCodes.InvalidInput, $"{composeFiles[i]}: no such compose file (resolved to {fullPaths[i]})");
            }
            var path = Path.GetRelativePath(root, fullPaths[i]);
            if (path.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(path))
            {
                throw new CliException(ExitCodes.InvalidInput,
                    $"{composeFiles[i]}: compose file is outside the bundle root {root} (the directory of the first -f file); move it under that directory or pass a file from a common parent directory first");
            }
            relative.Add(path.Replace(Path.DirectorySeparatorChar, '/'));
        }
        return new BundleRoot(root, relative);
    }
}
