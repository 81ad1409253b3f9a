namespace Gantry.Compose.HostPaths;

/// <summary>Resolves the symbolic links of an absolute path component by component, as the kernel will when the engine mounts or reads it.</summary>
/// <remarks>
/// Text checks are not enough: a link inside the bundle that points outside (<c>data -> /etc</c>)
/// would pass a prefix test and still expose the host. Components that do not exist yet are kept
/// as written, since nothing can redirect them (a bind with create_host_path makes them as directories).
/// </remarks>
internal static class RealPath
{
    // Linux's own limit on links followed while resolving one path (MAXSYMLINKS).
    private const int MaxLinks = 40;

    /// <summary>The real path, or null when resolving it follows more than 40 links (a loop).</summary>
    public static string? Resolve(string absolutePath)
    {
        var pending = new Stack<string>();
        PushComponents(pending, absolutePath);
        var current = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Parent(current);
                continue;
            }
            var next = current == "/" ? "/" + part : current + "/" + part;
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                return null;
            }
            // A relative target resolves against the link's directory, which is `current`.
            if (target.StartsWith('/'))
            {
                current = "/";
            }
            PushComponents(pending, target);
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies below it (both real, absolute).</summary>
    public static bool IsWithin(string path, string directory) =>
        directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>The absolute, lexically normalised form without a trailing separator.</summary>
    public static string Normalise(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
