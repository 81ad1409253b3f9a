using System.Formats.Tar;
using System.IO.Compression;

namespace Gantry.Cli.Bundles;

/// <summary>
/// Lists the project directory (minus ignored paths) and writes it as a gzip'd tar, streaming each
/// file from disk into the destination so the bundle is never held in memory.
/// </summary>
public static class BundleWriter
{
    /// <summary>The largest bundle a deploy will send (counted as the files' size before compression).</summary>
    public const long MaxBytes = 500L * 1024 * 1024;

    /// <summary>Every file and directory under <paramref name="root"/> that the rules keep, sorted, directories before their contents.</summary>
    public static IReadOnlyList<BundleEntry> List(string root, IgnoreRules rules)
    {
        var entries = new List<BundleEntry>();
        Walk(root, "", rules, entries);
        return entries;
    }

    /// <summary>Refuses a bundle over <see cref="MaxBytes"/>, naming the largest files so the user knows what to ignore.</summary>
    public static void EnsureWithinLimit(IReadOnlyList<BundleEntry> entries, long maxBytes = MaxBytes)
    {
        var total = entries.Sum(e => e.Length);
        if (total <= maxBytes)
        {
            return;
        }
        var largest = entries.Where(e => !e.IsDirectory).OrderByDescending(e => e.Length).Take(3)
            .Select(e => $"{e.RelativePath} ({Output.Humanize.Bytes(e.Length)})");
        throw new CliException(ExitCodes.InvalidInput,
            $"the bundle would be {Output.Humanize.Bytes(total)}, over the {Output.Humanize.Bytes(maxBytes)} limit; add large paths to {IgnoreRules.FileName} (largest: {string.Join(", ", largest)})");
    }

    /// <summary>Writes the entries as tar.gz into <paramref name="destination"/> (left open).</summary>
    public static async Task WriteAsync(Stream destination, IReadOnlyList<BundleEntry> entries, CancellationToken cancellationToken)
    {
        var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                foreach (var entry in entries)
                {
                    try
                    {
                        await tar.WriteEntryAsync(entry.FullPath, entry.IsDirectory ? entry.RelativePath + "/" : entry.RelativePath, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw new CliException(ExitCodes.InvalidInput, $"{entry.FullPath}: cannot add it to the bundle ({ex.Message}); fix its permissions or list it in {IgnoreRules.FileName}", ex);
                    }
                }
            }
        }
    }

    private static void Walk(string directory, string prefix, IgnoreRules rules, List<BundleEntry> entries)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var relative = prefix.Length == 0 ? child.Name : prefix + "/" + child.Name;
            // Symbolic links go in as links (never followed), so a link cannot pull in files from outside the root.
            var isLink = child.LinkTarget is not null;
            var isDirectory = !isLink && child is DirectoryInfo;
            if (rules.IsIgnored(relative, isDirectory))
            {
                continue;
            }
            if (isDirectory)
            {
                entries.Add(new BundleEntry(relative, child.FullName, true, 0));
                Walk(child.FullName, relative, rules, entries);
            }
            else if (isLink)
            {
                entries.Add(new BundleEntry(relative, child.FullName, false, 0));
            }
            else if (child is FileInfo file)
            {
                entries.Add(new BundleEntry(relative, file.FullName, false, file.Length));
            }
        }
    }
}
