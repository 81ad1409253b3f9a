using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Bundles;

/// <summary>
/// Unpacks an uploaded project bundle (tar.gz) into an empty staging directory and returns the digest of
/// what it unpacked (paths, modes, contents, link targets; not the compressed bytes, which change with
/// every tar run).
/// </summary>
/// <remarks>
/// Nothing is ever written through a link: every parent of an entry must be a real directory made by this
/// extraction, files are created with O_EXCL (which does not follow a link either), and a link is created
/// only after its target, resolved through the links already there, is found inside the bundle; once all
/// entries are out, every link is resolved again, so no order of entries can make one point outside.
/// Limits are checked as the bytes stream in, never after they are on disk.
/// </remarks>
public sealed class BundleExtractor
{
    private const UnixFileMode KeptModeBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode DirectoryMode = KeptModeBits;

    private readonly string _root;
    private readonly BundleLimits _limits;
    private readonly SortedDictionary<string, string> _tree = new(StringComparer.Ordinal);
    private readonly List<(string Path, string Target)> _links = [];
    private readonly byte[] _buffer = new byte[81920];
    private long _expandedBytes;
    private int _entries;

    private BundleExtractor(string root, BundleLimits limits)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _limits = limits;
    }

    /// <summary>Extracts <paramref name="gzip"/> into <paramref name="staging"/> (which must exist and be empty) and returns the content digest.</summary>
    public static async Task<string> ExtractAsync(Stream gzip, string staging, BundleLimits limits, long maxCompressedBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var extractor = new BundleExtractor(staging, limits);
        var compressed = new LimitedReadStream(gzip, maxCompressedBytes, () =>
            $"the bundle is larger than {Megabytes(maxCompressedBytes)} compressed (the server's limit); add large files the deploy does not need to .gantryignore");
        // Tar headers and padding come on top of the files' bytes: at most a few KiB per entry.
        var headroom = (long)limits.MaxEntries * 4096 + (1 << 20);
        try
        {
            await using var unzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            var expanded = new LimitedReadStream(unzip, limits.MaxExpandedBytes + headroom, extractor.ExpandedRefusal);
            await using var reader = new TarReader(expanded, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
            {
                await extractor.ExtractEntryAsync(entry, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new BundleException(BundleProblem.Malformed, $"the bundle is not a valid tar.gz archive ({e.Message}); send the project directory as 'gantry deploy' does");
        }
        extractor.CheckLinks();
        return extractor.Digest();
    }

    private async Task ExtractEntryAsync(TarEntry entry, CancellationToken ct)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return; // metadata for the archive, not a file
        }
        var parts = Components(entry.Name, entry.Name, "path");
        if (parts.Length == 0)
        {
            return; // the root itself ("./")
        }
        if (++_entries > _limits.MaxEntries)
        {
            throw new BundleException(BundleProblem.TooLarge,
                $"the bundle holds more than {_limits.MaxEntries.ToString("N0", CultureInfo.InvariantCulture)} files and directories (the server's limit, {BundleLimits.EntriesVariable}); " +
                "add what the deploy does not need (dependencies, build output) to .gantryignore, or raise the limit on the server");
        }
        var relative = string.Join('/', parts);
        var path = EnsureParents(entry.Name, parts);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                CreateDirectory(entry.Name, path);
                _tree[relative] = "d";
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var hash = await WriteFileAsync(entry.Name, path, entry.DataStream, entry.Length, entry.Mode, ct).ConfigureAwait(false);
                _tree[relative] = $"f\0{Mode(entry.Mode)}\0{hash}";
                break;
            case TarEntryType.SymbolicLink:
                CreateLink(entry.Name, relative, path, entry.LinkName);
                _tree[relative] = "l\0" + entry.LinkName;
                break;
            case TarEntryType.HardLink:
                // Copied, not linked: the copy counts against the size limit and can never share an inode with anything outside.
                var source = HardLinkSource(entry);
                await using (var data = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    var mode = OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(source);
                    var copied = await WriteFileAsync(entry.Name, path, data, data.Length, mode, ct).ConfigureAwait(false);
                    _tree[relative] = $"f\0{Mode(mode)}\0{copied}";
                }
                break;
            default:
                throw new BundleException(BundleProblem.Unsafe,
                    $"bundle entry '{entry.Name}' is a {Describe(entry.EntryType)}, which a project bundle cannot hold; remove it from the project or list it in .gantryignore");
        }
    }

    /// <summary>Splits an entry name into components, refusing absolute paths, '..' and names over the limits.</summary>
    private string[] Components(string name, string entry, string what)
    {
        if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':'))
        {
            throw Unsafe(entry, $"its {what} '{name}' is absolute; a bundle holds paths relative to the project directory");
        }
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw Unsafe(entry, $"its {what} '{name}' climbs out with '..'; a bundle holds paths inside the project directory");
        }
        if (parts.Length > _limits.MaxDepth)
        {
            throw new BundleException(BundleProblem.TooLarge,
                $"bundle entry '{entry}' is {parts.Length} directories deep, over the server's limit of {_limits.MaxDepth} ({BundleLimits.DepthVariable}); list that directory in .gantryignore, or raise the limit on the server");
        }
        var length = Encoding.UTF8.GetByteCount(string.Join('/', parts));
        if (length > _limits.MaxPathLength || parts.Any(p => Encoding.UTF8.GetByteCount(p) > 255))
        {
            throw new BundleException(BundleProblem.TooLarge,
                $"bundle entry '{(entry.Length > 120 ? entry[..120] + "..." : entry)}' has a path of {length} bytes, over the server's limit of {_limits.MaxPathLength} ({BundleLimits.PathLengthVariable}) or 255 per name; shorten it or list it in .gantryignore");
        }
        return parts;
    }

    /// <summary>Makes every parent directory of an entry, refusing to go through anything that is not a real directory.</summary>
    private string EnsureParents(string entry, string[] parts)
    {
        var path = _root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path += "/" + parts[i];
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                throw Unsafe(entry, $"it would be written through the symbolic link '{string.Join('/', parts[..(i + 1)])}' (-> {target}); a bundle may hold links but nothing is unpacked through one. Send the real directory instead");
            }
            if (info.Exists)
            {
                throw Unsafe(entry, $"'{string.Join('/', parts[..(i + 1)])}' is a file, not a directory");
            }
            if (!Directory.Exists(path))
            {
                CreateDirectory(entry, path);
                _tree[string.Join('/', parts[..(i + 1)])] = "d";
            }
        }
        return path + "/" + parts[^1];
    }

    private static void CreateDirectory(string entry, string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            throw Unsafe(entry, "a file or link of that name is already in the bundle (an archive lists each path once)");
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    private async Task<string> WriteFileAsync(string entry, string path, Stream? data, long length, UnixFileMode mode, CancellationToken ct)
    {
        _expandedBytes += length;
        if (_expandedBytes > _limits.MaxExpandedBytes)
        {
            throw new BundleException(BundleProblem.TooLarge, ExpandedRefusal());
        }
        // CreateNew is O_CREAT|O_EXCL: it fails on anything already there, a dangling link included, and never follows one.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = (mode & KeptModeBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FileStream file;
        try
        {
            file = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            throw Unsafe(entry, "a file, directory or link of that name is already in the bundle (an archive lists each path once)");
        }
        await using (file.ConfigureAwait(false))
        {
            if (data is not null)
            {
                int read;
                while ((read = await data.ReadAsync(_buffer, ct).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(_buffer, 0, read);
                    await file.WriteAsync(_buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private void CreateLink(string entry, string relative, string path, string target)
    {
        if (target.Length == 0)
        {
            throw Unsafe(entry, "it is a symbolic link without a target");
        }
        if (Path.IsPathRooted(target))
        {
            throw Unsafe(entry, $"it is a symbolic link to the absolute path '{target}', outside the project directory; make it relative to a file inside the project, or copy the file into the project");
        }
        var parent = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] + "/" : "";
        var resolution = BundlePath.Resolve(_root, parent + target);
        if (!resolution.IsInside)
        {
            throw Unsafe(entry, $"it is a symbolic link to '{target}', which leads outside the project directory; links in a bundle must stay inside it (copy the file into the project instead)");
        }
        try
        {
            File.CreateSymbolicLink(path, target);
        }
        catch (IOException)
        {
            throw Unsafe(entry, "a file, directory or link of that name is already in the bundle (an archive lists each path once)");
        }
        _links.Add((relative, target));
    }

    private string HardLinkSource(TarEntry entry)
    {
        var parts = Components(entry.LinkName, entry.Name, "link target");
        var source = _root + "/" + string.Join('/', parts);
        // The target must be a regular file this extraction already wrote, reached through real directories only.
        var resolution = BundlePath.Resolve(_root, string.Join('/', parts));
        if (parts.Length == 0 || resolution.RealPath != source || !BundlePath.IsRegularFile(source))
        {
            throw Unsafe(entry.Name, $"it is a hard link to '{entry.LinkName}', which is not a file earlier in the bundle; send the file itself");
        }
        return source;
    }

    /// <summary>Resolves every link again now that all entries are out: an entry extracted later may have changed where an earlier link leads.</summary>
    private void CheckLinks()
    {
        foreach (var (path, target) in _links)
        {
            var resolution = BundlePath.Resolve(_root, path);
            if (!resolution.IsInside)
            {
                throw Unsafe(path, $"it is a symbolic link to '{target}', which leads outside the project directory through other links in the bundle ({resolution.Problem}); links in a bundle must stay inside it");
            }
        }
    }

    private string Digest()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, what) in _tree)
        {
            // NUL cannot occur in a path, so the record is unambiguous.
            sha.AppendData(Encoding.UTF8.GetBytes(path + "\0" + what + "\n"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private string ExpandedRefusal() =>
        $"the bundle unpacks to more than {Megabytes(_limits.MaxExpandedBytes)} (the server's limit, {BundleLimits.ExpandedBytesVariable}); " +
        "add large files the deploy does not need to .gantryignore, or raise the limit on the server";

    private static string Mode(UnixFileMode mode) =>
        Convert.ToString((int)((mode & KeptModeBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite), 8);

    private static string Megabytes(long bytes) => bytes >= 1L << 30 && bytes % (1L << 30) == 0
        ? $"{bytes >> 30} GiB"
        : $"{bytes / (1024.0 * 1024):0.#} MiB";

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice => "device file",
        TarEntryType.Fifo => "named pipe (fifo)",
        TarEntryType.SparseFile => "sparse file",
        _ => $"{type} entry",
    };

    private static BundleException Unsafe(string entry, string why) =>
        new(BundleProblem.Unsafe, $"bundle entry '{entry}' is refused: {why}");
}
