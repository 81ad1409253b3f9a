using System.Formats.Tar;

namespace Gantry.Docker.Images;

/// <summary>Writes a directory as a build-context tar stream, leaving out what .dockerignore excludes.</summary>
public static class BuildContext
{
    /// <summary>
    /// Streams the directory into output as tar (PAX). Links are sent as links, never followed (neither into
    /// directories nor to their files), so nothing outside the directory reaches the engine through one. The Dockerfile and .dockerignore are always sent, as the
    /// docker CLI does, because the daemon needs them even when a pattern matches them.
    /// </summary>
    public static async Task WriteDirectoryAsync(string directory, Stream output, string dockerfile = "Dockerfile",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Build context directory '{root}' does not exist; pass the folder that holds the Dockerfile.");
        }

        var ignore = DockerIgnore.Load(root);
        var keep = new HashSet<string>(StringComparer.Ordinal) { dockerfile.Replace('\\', '/').TrimStart('/'), ".dockerignore" };
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await WriteTreeAsync(writer, root, root, ignore, keep, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the directory into a memory stream positioned at 0 (for small contexts and tests).</summary>
    public static async Task<MemoryStream> CreateFromDirectoryAsync(string directory, string dockerfile = "Dockerfile",
        CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        await WriteDirectoryAsync(directory, buffer, dockerfile, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return buffer;
    }

    private static async Task WriteTreeAsync(TarWriter writer, string root, string directory, DockerIgnore ignore,
        HashSet<string> keep, CancellationToken cancellationToken)
    {
        // Sorted so the same tree always produces the same tar, which keeps the daemon's build cache effective.
        var entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal);
        foreach (var path in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var excluded = ignore.IsExcluded(relative) && !keep.Contains(relative);
            var info = new FileInfo(path);
            var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
            if (isDirectory)
            {
                if (excluded && !ignore.HasExceptions)
                {
                    continue;
                }

                if (!excluded)
                {
                    await writer.WriteEntryAsync(path, relative, cancellationToken).ConfigureAwait(false);
                }

                await WriteTreeAsync(writer, root, path, ignore, keep, cancellationToken).ConfigureAwait(false);
            }
            else if (!excluded)
            {
                await writer.WriteEntryAsync(path, relative, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
