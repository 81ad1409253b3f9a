using System.Text.Json;

namespace Gantry.Server.NodeRouters;

/// <summary>
/// The pure part of the router image (docs/decisions/0029): which of the server's own files go into it, read from the app's
/// deps.json, and which host libraries the runtime needs, read from ldd's and ldconfig's output. The image is FROM scratch:
/// the server's runtime, its own assemblies and those libraries, nothing else, so a node runs exactly the router the server is.
/// </summary>
public static class RouterImageLayout
{
    /// <summary>Where the app's files go in the image.</summary>
    public const string AppDirectory = "/gantry";

    /// <summary>Where the runtime (the dotnet host, hostfxr and the shared frameworks) goes in the image.</summary>
    public const string RuntimeDirectory = "/dotnet";

    /// <summary>
    /// The app's files relative to its directory that the host may load, as candidates (a package asset lies under its
    /// file name in a built app directory, under its own relative path in a store): the caller keeps those that exist.
    /// RID-specific assets are kept only for <paramref name="rid"/> (the image's platform) and the RID-neutral "linux", "unix", "any".
    /// </summary>
    public static IReadOnlyList<string> AppFileCandidates(string depsJson, string appName, string rid = "linux-x64")
    {
        var files = new SortedSet<string>(StringComparer.Ordinal)
        {
            appName + ".dll", appName + ".deps.json", appName + ".runtimeconfig.json",
        };
        using var document = JsonDocument.Parse(depsJson);
        if (!document.RootElement.TryGetProperty("targets", out var targets))
        {
            return [.. files];
        }
        foreach (var target in targets.EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                AddAssets(library.Value, "runtime", files, null);
                AddAssets(library.Value, "native", files, null);
                AddAssets(library.Value, "runtimeTargets", files, rid);
                if (library.Value.TryGetProperty("resources", out var resources))
                {
                    foreach (var resource in resources.EnumerateObject())
                    {
                        var locale = resource.Value.TryGetProperty("locale", out var l) ? l.GetString() : null;
                        files.Add(resource.Name);
                        if (!string.IsNullOrEmpty(locale))
                        {
                            files.Add(locale + "/" + FileName(resource.Name));
                        }
                    }
                }
            }
        }
        return [.. files];
    }

    /// <summary>The absolute paths of the libraries in `ldd` output (the vDSO and "not found" lines have none).</summary>
    public static IReadOnlyList<string> LddPaths(string output)
    {
        var paths = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            if (!raw.StartsWith('\t'))
            {
                continue; // the header ldd prints before each of several files, or its complaint about one
            }
            var line = raw.Trim();
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            var rest = (arrow >= 0 ? line[(arrow + 2)..] : line).Trim();
            if (!rest.StartsWith('/'))
            {
                continue;
            }
            var end = rest.IndexOf(' ', StringComparison.Ordinal);
            paths.Add(end < 0 ? rest : rest[..end]);
        }
        return paths;
    }

    /// <summary>The path `ldconfig -p` gives for each of names on this architecture (libraries loaded with dlopen, which ldd cannot see).</summary>
    public static IReadOnlyList<string> LdconfigPaths(string output, IReadOnlyList<string> names)
    {
        var found = new List<string>();
        foreach (var name in names)
        {
            foreach (var raw in output.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith(name + " ", StringComparison.Ordinal) && line.Contains("x86-64", StringComparison.Ordinal)
                    && line.IndexOf("=> ", StringComparison.Ordinal) is var at and >= 0)
                {
                    found.Add(line[(at + 3)..].Trim());
                    break;
                }
            }
        }
        return found;
    }

    /// <summary>The image's tag for a content hash (hex): the same binaries make the same tag on every engine.</summary>
    public static string Tag(string contentHash) => "gantry/router:" + contentHash[..16];

    private static void AddAssets(JsonElement library, string kind, SortedSet<string> files, string? rid)
    {
        if (!library.TryGetProperty(kind, out var assets) || assets.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var asset in assets.EnumerateObject())
        {
            if (rid is not null && asset.Value.TryGetProperty("rid", out var r) && r.GetString() is { } name
                && name != rid && name is not ("linux" or "unix" or "any"))
            {
                continue;
            }
            files.Add(asset.Name);
            files.Add(FileName(asset.Name));
        }
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
