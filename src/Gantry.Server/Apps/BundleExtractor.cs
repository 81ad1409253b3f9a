using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Gantry.Server.Apps;

/// <summary>
/// Unpacks an uploaded project bundle (tar.gz) into a content-addressed directory. Entries that
/// would escape the directory (absolute paths, "..", links pointing outside) are refused, and a
/// bundle becomes visible only once completely unpacked.
/// </summary>
public static class BundleExtractor
{
    /// <summary>Stores the stream under <paramref name="bundlesRoot"/>/sha256 and returns that directory.</summary>
    public static async Task<string> ExtractAsync(Stream gzip, string bundlesRoot, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(bundlesRoot);
        var archive = Path.Combine(bundlesRoot, $"upload-{Guid.NewGuid():N}.tar.gz");
        string digest;
        try
        {
            await using (var file = File.Create(archive))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await gzip.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new BundleException($"the bundle is larger than {maxBytes / (1024 * 1024)} MiB; add a .gantryignore for large files that the build does not need");
                    }
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
                digest = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            var target = Path.Combine(bundlesRoot, digest);
            if (Directory.Exists(target))
            {
                return target;
            }
            var staging = Path.Combine(bundlesRoot, $"staging-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                await using var stream = File.OpenRead(archive);
                await using var unzip = new GZipStream(stream, CompressionMode.Decompress);
                await using var reader = new TarReader(unzip);
                while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    await ExtractEntryAsync(entry, staging, ct).ConfigureAwait(false);
                }
                Directory.Move(staging, target);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new BundleException($"the bundle is not a valid tar.gz archive: {e.Message}");
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
            return target;
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static async Task ExtractEntryAsync(TarEntry entry, string root, CancellationToken ct)
    {
        var name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
        if (name.Length == 0)
        {
            return;
        }
        var path = Path.GetFullPath(Path.Combine(root, name));
        if (!IsInside(root, path))
        {
            throw new BundleException($"bundle entry '{entry.Name}' points outside the project directory");
        }
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(path);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await entry.ExtractToFileAsync(path, overwrite: true, ct).ConfigureAwait(false);
                break;
            case TarEntryType.SymbolicLink:
                var linkTarget = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, entry.LinkName));
                if (!IsInside(root, linkTarget))
                {
                    throw new BundleException($"bundle entry '{entry.Name}' is a link to '{entry.LinkName}', outside the project directory");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.CreateSymbolicLink(path, entry.LinkName);
                break;
            default:
                // Hard links, devices and fifos have no place in a build context.
                throw new BundleException($"bundle entry '{entry.Name}' is a {entry.EntryType}, which a project bundle cannot contain");
        }
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}

/// <summary>The uploaded bundle cannot be used; the message says why and what to do.</summary>
public sealed class BundleException(string message) : Exception(message);
