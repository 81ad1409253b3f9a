namespace Gantry.Cli.Bundles;

/// <summary>One file or directory that goes into the bundle, with its path inside the bundle ('/' separators).</summary>
public sealed record BundleEntry(string RelativePath, string FullPath, bool IsDirectory, long Length);
