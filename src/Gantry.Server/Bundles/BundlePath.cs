using System.Text;

namespace Gantry.Server.Bundles;

/// <summary>
/// Resolves a path inside a bundle the way the kernel would (one component at a time, following every
/// symbolic link it meets) but refuses as soon as a step leaves the bundle root, instead of trusting the
/// path's text: `a/a/../../x` with `a -> .` is `x` on paper and the bundle's parent on disk.
/// </summary>
public static class BundlePath
{
    /// <summary>The kernel's own limit on links followed in one lookup (Linux MAXSYMLINKS).</summary>
    public const int MaxLinkHops = 40;

    /// <summary>Resolves <paramref name="path"/> (absolute, or relative to <paramref name="root"/>) to its real path under the root.</summary>
    /// <remarks>
    /// Components that do not exist (yet) are taken as written; the root itself is trusted (it is the server's
    /// own directory). Absolute link targets are refused: they name the server's file system, not the project.
    /// </remarks>
    public static BundlePathResolution Resolve(string root, string path)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string relative;
        if (Path.IsPathRooted(path))
        {
            if (string.Equals(path.TrimEnd('/'), root, StringComparison.Ordinal))
            {
                relative = "";
            }
            else if (path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                relative = path[(root.Length + 1)..];
            }
            else
            {
                return BundlePathResolution.Outside(path, path);
            }
        }
        else
        {
            relative = path;
        }

        var pending = new Stack<string>();
        Push(pending, relative);
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var component = pending.Pop();
            if (component is "" or ".")
            {
                continue;
            }
            if (component == "..")
            {
                if (resolved.Count == 0)
                {
                    return BundlePathResolution.Outside(path, "..");
                }
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Join(root, resolved, component);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(component);
                continue;
            }
            if (++hops > MaxLinkHops)
            {
                return BundlePathResolution.Loop(path);
            }
            if (Path.IsPathRooted(target))
            {
                return BundlePathResolution.Outside(path, target);
            }
            // The link's target replaces it, relative to the directory that holds the link.
            Push(pending, target);
        }
        return BundlePathResolution.Inside(resolved.Count == 0 ? root : Join(root, resolved, null));
    }

    /// <summary>Reads a text file only when its real path is a regular file inside the bundle; null otherwise.</summary>
    public static string? ReadText(string root, string path)
    {
        var resolution = Resolve(root, path);
        if (resolution.RealPath is not { } real || !IsRegularFile(real))
        {
            return null;
        }
        try
        {
            return File.ReadAllText(real, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True for an existing regular file that is not itself a link.</summary>
    public static bool IsRegularFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it, judged on the text only.</summary>
    public static bool IsUnder(string root, string path)
    {
        root = Path.TrimEndingDirectorySeparator(root);
        return string.Equals(path, root, StringComparison.Ordinal) || path.StartsWith(root + "/", StringComparison.Ordinal);
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string Join(string root, List<string> resolved, string? last)
    {
        var builder = new StringBuilder(root);
        foreach (var part in resolved)
        {
            builder.Append('/').Append(part);
        }
        if (last is not null)
        {
            builder.Append('/').Append(last);
        }
        return builder.ToString();
    }
}
