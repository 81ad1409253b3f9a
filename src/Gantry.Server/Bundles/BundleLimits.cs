using System.Globalization;

namespace Gantry.Server.Bundles;

/// <summary>
/// What one uploaded bundle may hold, checked while it streams in: a small upload must not unpack into
/// gigabytes (a decompression bomb) or into more files than any project has.
/// </summary>
public sealed record BundleLimits
{
    /// <summary>Sum of the sizes of the unpacked files.</summary>
    public long MaxExpandedBytes { get; init; } = 1L << 30;

    /// <summary>Files, directories and links together.</summary>
    public int MaxEntries { get; init; } = 20_000;

    /// <summary>Directories deep (a/b/c is 3).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Length of a path inside the bundle, in UTF-8 bytes.</summary>
    public int MaxPathLength { get; init; } = 1024;

    /// <summary>Environment variables that raise a limit on the server, named in every refusal.</summary>
    public const string ExpandedBytesVariable = "GANTRY_BUNDLE_MAX_EXPANDED_BYTES";

    public const string EntriesVariable = "GANTRY_BUNDLE_MAX_FILES";

    public const string DepthVariable = "GANTRY_BUNDLE_MAX_DEPTH";

    public const string PathLengthVariable = "GANTRY_BUNDLE_MAX_PATH_LENGTH";

    /// <summary>The defaults, overridden by whichever of the variables above are set (to a positive number).</summary>
    public static BundleLimits FromEnvironment(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var defaults = new BundleLimits();
        return new BundleLimits
        {
            MaxExpandedBytes = Number(get(ExpandedBytesVariable)) ?? defaults.MaxExpandedBytes,
            MaxEntries = (int?)Number(get(EntriesVariable)) ?? defaults.MaxEntries,
            MaxDepth = (int?)Number(get(DepthVariable)) ?? defaults.MaxDepth,
            MaxPathLength = (int?)Number(get(PathLengthVariable)) ?? defaults.MaxPathLength,
        };
    }

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= int.MaxValue * 1024L ? value : null;
}
