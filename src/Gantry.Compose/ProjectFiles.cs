using Gantry.Compose.HostPaths;
using Gantry.Compose.Interpolation;
using Gantry.Compose.Yaml;

namespace Gantry.Compose;

/// <summary>Reads, parses and interpolates compose files for one load; the only place the loader touches the file system for YAML.</summary>
internal sealed class ProjectFiles(DiagnosticBag diagnostics, string workingDirectory, Func<string, string?> readFile, HostPathGuard hostPaths)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>Reads a file the policy permits; a refused path reads as missing, so nothing outside the project is opened even where a caller forgot to check.</summary>
    public Func<string, string?> ReadFile { get; } = path => hostPaths.Permits(path) ? readFile(path) : null;

    public HostPathGuard HostPaths { get; } = hostPaths;

    /// <summary>How diagnostics name a file: relative to the project directory.</summary>
    public string Display(string absolutePath) => Path.GetRelativePath(workingDirectory, absolutePath);

    /// <summary>True (with an error) when a path names a remote resource (git, https, oci): Gantry loads only local files.</summary>
    public bool RejectRemote(string path, ComposeNode at, string fieldPath)
    {
        var colon = path.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && path[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
        {
            Diagnostics.Error(at, fieldPath, $"'{path}' is a remote resource, which is not supported by Gantry: copy the file next to the project and use a local path");
            return true;
        }
        return false;
    }

    /// <summary>Parses and interpolates one file; null (with diagnostics) when it cannot be read or is not a mapping.</summary>
    public MappingNode? Parse(string absolutePath, string display, string? content, string baseDir, Func<string, string?> lookup, ComposeNode? from, string fromPath)
    {
        var text = content ?? ReadFile(absolutePath);
        if (text is null)
        {
            var message = $"compose file '{absolutePath}' not found: check the path";
            if (from is null)
            {
                Diagnostics.Error(new SourceMark(display, 0, 0, baseDir), "", message);
            }
            else
            {
                Diagnostics.Error(from, fromPath, message);
            }
            return null;
        }
        var node = YamlTreeReader.Read(text, display, baseDir, Diagnostics);
        if (node is null)
        {
            return null;
        }
        if (node is ScalarNode { IsNull: true })
        {
            return new MappingNode(new SourceMark(display, 1, 1, baseDir), []);
        }
        if (node is not MappingNode)
        {
            Diagnostics.Error(node, "", $"a compose file must be a mapping with keys such as 'services', not {node.KindName}");
            return null;
        }
        return (MappingNode)new TreeInterpolator(lookup, Diagnostics).Apply(node, "");
    }
}
