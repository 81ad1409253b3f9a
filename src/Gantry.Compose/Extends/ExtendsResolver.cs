using Gantry.Compose.Merge;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;

namespace Gantry.Compose.Extends;

/// <summary>Resolves `extends` in one document's services, from the same file or another one, reporting cycles with their path.</summary>
/// <remarks>
/// The extended service is merged under the extending one by the normal merge rules. Nodes read from
/// another file keep that file's directory as their base, so its relative paths (build context,
/// env_file, binds) resolve where that file lives, as compose does.
/// </remarks>
internal sealed class ExtendsResolver(ProjectFiles files, Func<string, string?> lookup)
{
    private readonly Dictionary<string, MappingNode?> _otherFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MappingNode> _resolved = new(StringComparer.Ordinal);

    private DiagnosticBag Diagnostics => files.Diagnostics;

    public MappingNode Apply(MappingNode document, string absolutePath)
    {
        if (document.Get("services") is not MappingNode services)
        {
            return document;
        }
        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
        foreach (var (key, value) in services.Entries)
        {
            entries.Add(value is MappingNode svc ? new(key, Resolve(absolutePath, services, key.Value, svc, [])) : new(key, value));
        }
        return document.With("services", new MappingNode(services.Mark, entries, services.Tag));
    }

    private MappingNode Resolve(string file, MappingNode services, string name, MappingNode svc, List<string> chain)
    {
        var id = $"{file}#{name}";
        if (_resolved.TryGetValue(id, out var done))
        {
            return done;
        }
        var extendsNode = svc.Get("extends");
        if (extendsNode is null)
        {
            return svc;
        }
        var path = $"services.{name}.extends";
        var local = svc.Without("extends");
        string? baseName = null;
        string? baseFile = null;
        ComposeNode fileNode = extendsNode;
        if (extendsNode is ScalarNode { IsNull: false } s)
        {
            baseName = s.Value;
        }
        else if (extendsNode is MappingNode map)
        {
            SchemaKeys.Extends.Check(map, path, Diagnostics);
            baseName = (map.Get("service") as ScalarNode)?.Value;
            baseFile = (map.Get("file") as ScalarNode)?.Value;
            fileNode = map.Get("file") ?? map;
        }
        if (baseName is null)
        {
            Diagnostics.Error(extendsNode, path, "extends needs the name of a service: `extends: base` or `extends: {service: base, file: other.yaml}`");
            return svc;
        }

        var targetFile = file;
        var targetServices = services;
        if (baseFile is not null)
        {
            if (files.RejectRemote(baseFile, fileNode, path + ".file"))
            {
                return svc;
            }
            targetFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, baseFile));
            if (!files.HostPaths.Check(targetFile, baseFile, fileNode, path + ".file", "extends file"))
            {
                return svc;
            }
            var other = LoadOther(targetFile, fileNode, path + ".file");
            if (other is null)
            {
                return svc;
            }
            if (other.Get("services") is not MappingNode otherServices)
            {
                Diagnostics.Error(fileNode, path, $"service '{baseName}' not found: '{files.Display(targetFile)}' has no services");
                return svc;
            }
            targetServices = otherServices;
        }

        var targetId = $"{targetFile}#{baseName}";
        var step = $"{name} ({files.Display(file)})";
        if (targetId == id || chain.Contains(targetId))
        {
            var cycle = chain.Select(c => Describe(c)).Append(step).Append(Describe(targetId));
            Diagnostics.Error(extendsNode, path, $"extends cycle: {string.Join(" -> ", cycle)}; break the chain");
            return svc;
        }
        if (targetServices.Get(baseName) is not MappingNode baseSvc)
        {
            var known = string.Join(", ", targetServices.Entries.Select(e => e.Key.Value));
            Diagnostics.Error(extendsNode, path, $"extended service '{baseName}' not found in '{files.Display(targetFile)}'; services there: {known}");
            return svc;
        }
        var resolvedBase = Resolve(targetFile, targetServices, baseName, baseSvc, [.. chain, id]);
        var merged = ComposeMerger.MergeServiceDefinitions(resolvedBase, local);
        _resolved[id] = merged;
        return merged;
    }

    private string Describe(string id)
    {
        var hash = id.LastIndexOf('#');
        return $"{id[(hash + 1)..]} ({files.Display(id[..hash])})";
    }

    private MappingNode? LoadOther(string absolutePath, ComposeNode from, string fromPath)
    {
        if (!_otherFiles.TryGetValue(absolutePath, out var document))
        {
            document = files.Parse(absolutePath, files.Display(absolutePath), null, Path.GetDirectoryName(absolutePath)!, lookup, from, fromPath);
            _otherFiles[absolutePath] = document;
        }
        return document;
    }
}
