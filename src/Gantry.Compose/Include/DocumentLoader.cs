using Gantry.Compose.DotEnv;
using Gantry.Compose.Extends;
using Gantry.Compose.Mapping;
using Gantry.Compose.Merge;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;

namespace Gantry.Compose.Include;

/// <summary>Loads one compose document completely: parse, interpolate, then its `include` entries (recursively, with cycle detection) and its `extends`.</summary>
/// <remarks>
/// Each included file is a separate project piece: its relative paths resolve against its own
/// project_directory and its variables come from its own env_file (under the caller's environment).
/// Its services, networks, volumes, secrets and configs join the including file; a name defined on
/// both sides is an error, as in compose.
/// </remarks>
internal sealed class DocumentLoader(ProjectFiles files)
{
    private static readonly string[] Sections = ["services", "networks", "volumes", "secrets", "configs"];

    private DiagnosticBag Diagnostics => files.Diagnostics;

    public MappingNode? Load(string absolutePath, string display, string? content, string baseDir, Func<string, string?> lookup, IReadOnlyList<string> chain, ComposeNode? from, string fromPath)
    {
        var document = files.Parse(absolutePath, display, content, baseDir, lookup, from, fromPath);
        if (document is null)
        {
            return null;
        }
        document = ApplyIncludes(document, absolutePath, lookup, [.. chain, absolutePath]);
        return new ExtendsResolver(files, lookup).Apply(document, absolutePath);
    }

    private MappingNode ApplyIncludes(MappingNode document, string absolutePath, Func<string, string?> lookup, IReadOnlyList<string> chain)
    {
        var includeNode = document.Get("include");
        if (includeNode is null)
        {
            return document;
        }
        document = document.Without("include");
        if (NodeReader.IsAbsent(includeNode))
        {
            return document;
        }
        if (includeNode is not SequenceNode list)
        {
            Diagnostics.Error(includeNode, "include", "expected a list of files to include");
            return document;
        }
        var directory = Path.GetDirectoryName(absolutePath)!;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var included = LoadEntry(list.Items[i], $"include[{i}]", directory, lookup, chain);
            if (included is not null)
            {
                document = Combine(document, included);
            }
        }
        return document;
    }

    private MappingNode? LoadEntry(ComposeNode entry, string path, string directory, Func<string, string?> lookup, IReadOnlyList<string> chain)
    {
        List<(string Value, ComposeNode Node, string Path)>? paths;
        string? projectDirectory = null;
        List<(string Value, ComposeNode Node, string Path)>? envFiles = null;
        var reader = new NodeReader(Diagnostics);
        if (entry is ScalarNode { IsNull: false } s)
        {
            paths = [(s.Value, s, path)];
        }
        else if (entry is MappingNode map)
        {
            SchemaKeys.Include.Check(map, path, Diagnostics);
            paths = reader.Strings(map.Get("path"), path + ".path", allowString: true);
            projectDirectory = reader.String(map.Get("project_directory"), path + ".project_directory");
            envFiles = reader.Strings(map.Get("env_file"), path + ".env_file", allowString: true);
            if (paths is null || paths.Count == 0)
            {
                Diagnostics.Error(entry, path, "include entry needs 'path': the compose file to include");
                return null;
            }
        }
        else
        {
            reader.Expected(entry, path, "a file path or a mapping with 'path'");
            return null;
        }
        if (paths.Any(p => files.RejectRemote(p.Value, p.Node, p.Path)))
        {
            return null;
        }
        var absolutePaths = paths.Select(p => Path.GetFullPath(Path.Combine(directory, p.Value))).ToList();
        var projectDir = projectDirectory is null
            ? Path.GetDirectoryName(absolutePaths[0])!
            : Path.GetFullPath(Path.Combine(directory, projectDirectory));
        // Every target is checked before anything is read, so a refused file is never opened.
        var permitted = true;
        for (var i = 0; i < paths.Count; i++)
        {
            permitted &= files.HostPaths.Check(absolutePaths[i], paths[i].Value, paths[i].Node, paths[i].Path, "included file");
        }
        if (projectDirectory is not null && entry is MappingNode withDirectory)
        {
            permitted &= files.HostPaths.Check(projectDir, projectDirectory, withDirectory.Get("project_directory")!, path + ".project_directory", "include project_directory");
        }
        if (!permitted)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var envFileList = envFiles?.Select(e => (Path.GetFullPath(Path.Combine(directory, e.Value)), e.Value, true, e.Node, e.Path)).ToList()
            ?? [(Path.Combine(projectDir, ".env"), ".env", false, entry, path)];
        foreach (var (envPath, written, required, node, envFieldPath) in envFileList)
        {
            if ((required || File.Exists(envPath)) && !files.HostPaths.Check(envPath, written, node, envFieldPath, "include env_file"))
            {
                continue;
            }
            var text = files.ReadFile(envPath);
            if (text is null)
            {
                if (required)
                {
                    Diagnostics.Error(node, envFieldPath, $"env file '{envPath}' not found: create it or fix the path");
                }
                continue;
            }
            var parsed = DotEnvParser.Parse(text, lookup);
            foreach (var (line, message) in parsed.Errors)
            {
                Diagnostics.Error(new SourceMark(files.Display(envPath), line, 1, projectDir), "", message);
            }
            foreach (var (key, value) in parsed.Values)
            {
                variables[key] = value;
            }
        }
        // The caller's environment wins over the included project's env_file.
        string? IncludedLookup(string name) => lookup(name) ?? variables.GetValueOrDefault(name);

        MappingNode? combined = null;
        for (var i = 0; i < absolutePaths.Count; i++)
        {
            var file = absolutePaths[i];
            if (chain.Contains(file))
            {
                var cycle = chain.Skip(chain.ToList().IndexOf(file)).Append(file).Select(files.Display);
                Diagnostics.Error(paths[i].Node, paths[i].Path, $"include cycle: {string.Join(" -> ", cycle)}; remove one of these includes");
                return null;
            }
            var document = Load(file, files.Display(file), null, projectDir, IncludedLookup, chain, paths[i].Node, paths[i].Path);
            if (document is null)
            {
                return null;
            }
            combined = combined is null ? document : ComposeMerger.MergeDocuments(combined, document);
        }
        return combined;
    }

    // Included resources come first; a name defined both in the including file and in an included file is a conflict.
    private MappingNode Combine(MappingNode document, MappingNode included)
    {
        var result = document;
        foreach (var section in Sections)
        {
            if (included.Get(section) is not MappingNode incoming)
            {
                continue;
            }
            var own = document.Get(section) as MappingNode;
            var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
            foreach (var entry in incoming.Entries)
            {
                var clash = own?.GetKey(entry.Key.Value);
                if (clash is not null)
                {
                    Diagnostics.Error(clash, $"{section}.{entry.Key.Value}",
                        $"'{entry.Key.Value}' is defined both here and in included file '{entry.Key.Mark.File}': rename one of them");
                    continue;
                }
                entries.Add(entry);
            }
            entries.AddRange(own?.Entries ?? []);
            result = result.With(section, new MappingNode(own?.Mark ?? incoming.Mark, entries));
        }
        return result;
    }
}
