namespace Gantry.Server.Storage;

/// <summary>Bytes and files under a directory, for `system df`.</summary>
public static class DirectorySize
{
    /// <summary>Sums the regular files under <paramref name="path"/> (recursively, links not followed); (0, 0) when it does not exist.</summary>
    public static (long Bytes, long Files) Of(string path)
    {
        if (!Directory.Exists(path))
        {
            return (0, 0);
        }
        long bytes = 0;
        long files = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            try
            {
                bytes += file.Length;
                files++;
            }
            catch (FileNotFoundException)
            {
                // Removed while we walked (a rotated log, a finished upload): it no longer takes space.
            }
        }
        return (bytes, files);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it.</summary>
    public static bool IsInside(string path, string directory)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
