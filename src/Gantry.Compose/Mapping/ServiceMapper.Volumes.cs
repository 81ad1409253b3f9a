using System.Text.RegularExpressions;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// Volumes (short "source:target[:mode]" and long syntax), tmpfs, networks and depends_on.
internal sealed partial class ServiceMapper
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ResourceName();

    private List<MountSpec> MapVolumes(ComposeNode? node, string path)
    {
        var result = new List<MountSpec>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is not SequenceNode seq)
        {
            reader.Expected(node!, path, "a list of volumes");
            return result;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = NodeReader.Index(path, i);
            var mount = item switch
            {
                ScalarNode { IsNull: false } s => ParseShortVolume(s.Value, s, itemPath),
                MappingNode map => ParseLongVolume(map, itemPath),
                _ => Fail(item, itemPath),
            };
            if (mount is not null)
            {
                result.Add(mount);
            }
        }
        return result;

        MountSpec? Fail(ComposeNode item, string itemPath)
        {
            reader.Expected(item, itemPath, "a volume such as \"data:/var/lib/data\" or a mapping with 'type' and 'target'");
            return null;
        }
    }

    private MountSpec? ParseShortVolume(string text, ComposeNode node, string path)
    {
        var parts = text.Split(':');
        if (parts.Any(p => p.Length == 0))
        {
            Diagnostics.Error(node, path, $"'{text}' is not a valid volume: it has an empty part (is a variable unset?); use \"source:target[:ro]\" or \"target\"");
            return null;
        }
        if (parts.Length > 3)
        {
            Diagnostics.Error(node, path, $"'{text}' is not a valid volume: use \"source:target[:ro]\" or \"target\"");
            return null;
        }
        if (parts.Length == 1)
        {
            return CheckTarget(parts[0], node, path) ? new MountSpec(MountType.Volume, null, parts[0]) : null;
        }
        var readOnly = false;
        var ok = true;
        if (parts.Length == 3)
        {
            foreach (var option in parts[2].Split(','))
            {
                switch (option)
                {
                    case "ro":
                        readOnly = true;
                        break;
                    case "rw" or "nocopy" or "cached" or "delegated" or "consistent":
                        break;
                    default:
                        Diagnostics.Error(node, path, $"volume option '{option}' in '{text}' is not supported by Gantry: use ro or rw");
                        ok = false;
                        break;
                }
            }
        }
        if (!CheckTarget(parts[1], node, path) || !ok)
        {
            return null;
        }
        var source = parts[0];
        if (IsPath(source))
        {
            return new MountSpec(MountType.Bind, ResolveBind(source, node, path), parts[1]) { ReadOnly = readOnly };
        }
        return CheckVolumeName(source, node, path) ? new MountSpec(MountType.Volume, source, parts[1]) { ReadOnly = readOnly } : null;
    }

    private static bool IsPath(string source) => source[0] is '/' or '.' or '~';

    private string ResolveBind(string source, ComposeNode node, string path)
    {
        var full = Path.GetFullPath(Path.Combine(node.Mark.BaseDir, ExpandHome(source, node, path)));
        full = full.Length > 1 ? full.TrimEnd('/') : full;
        context.HostPaths.Check(full, source, node, path, "bind mount source");
        return full;
    }

    private bool CheckTarget(string target, ComposeNode node, string path)
    {
        if (target.StartsWith('/'))
        {
            return true;
        }
        Diagnostics.Error(node, path, $"volume target '{target}' must be an absolute path inside the container, such as /data");
        return false;
    }

    private bool CheckVolumeName(string name, ComposeNode node, string path)
    {
        if (!ResourceName().IsMatch(name))
        {
            Diagnostics.Error(node, path, $"'{name}' is not a valid volume name: use letters, digits, '_', '.' and '-', or start a host path with ./ or /");
            return false;
        }
        if (!context.Volumes.Contains(name))
        {
            Diagnostics.Error(node, path, $"named volume '{name}' is not declared: add it under the top-level 'volumes:' key (or use ./{name} for a host directory)");
            return false;
        }
        return true;
    }

    private MountSpec? ParseLongVolume(MappingNode map, string path)
    {
        SchemaKeys.Volume.Check(map, path, Diagnostics);
        string P(string key) => NodeReader.Join(path, key);
        var type = reader.String(map.Get("type"), P("type"));
        var source = reader.String(map.Get("source"), P("source"));
        var target = reader.String(map.Get("target"), P("target"));
        var readOnly = reader.Bool(map.Get("read_only"), P("read_only")) ?? false;
        if (type is null)
        {
            Diagnostics.Error(map, path, "volume needs 'type': volume, bind or tmpfs");
            return null;
        }
        if (target is null)
        {
            Diagnostics.Error(map, path, "volume needs 'target': the absolute path inside the container");
            return null;
        }
        if (!CheckTarget(target, map.Get("target")!, P("target")))
        {
            return null;
        }
        switch (type)
        {
            case "volume":
            {
                if (reader.Map(map.Get("volume"), P("volume")) is { } options)
                {
                    SchemaKeys.VolumeOptions.Check(options, P("volume"), Diagnostics);
                }
                if (source is not null && !CheckVolumeName(source, map.Get("source")!, P("source")))
                {
                    return null;
                }
                return new MountSpec(MountType.Volume, source, target) { ReadOnly = readOnly };
            }
            case "bind":
            {
                var create = true;
                if (reader.Map(map.Get("bind"), P("bind")) is { } options)
                {
                    SchemaKeys.BindOptions.Check(options, P("bind"), Diagnostics);
                    create = reader.Bool(options.Get("create_host_path"), NodeReader.Join(P("bind"), "create_host_path")) ?? true;
                }
                if (source is null)
                {
                    Diagnostics.Error(map, path, "a bind mount needs 'source': the host path");
                    return null;
                }
                return new MountSpec(MountType.Bind, ResolveBind(source, map.Get("source")!, P("source")), target) { ReadOnly = readOnly, CreateHostPath = create };
            }
            case "tmpfs":
            {
                long? size = null;
                int? mode = null;
                if (reader.Map(map.Get("tmpfs"), P("tmpfs")) is { } options)
                {
                    SchemaKeys.TmpfsOptions.Check(options, P("tmpfs"), Diagnostics);
                    size = reader.Bytes(options.Get("size"), NodeReader.Join(P("tmpfs"), "size"));
                    mode = MapTmpfsMode(options.Get("mode"), NodeReader.Join(P("tmpfs"), "mode"));
                }
                return new MountSpec(MountType.Tmpfs, null, target) { ReadOnly = readOnly, TmpfsSizeBytes = size, TmpfsMode = mode };
            }
            case "npipe" or "cluster" or "image":
                Diagnostics.Error(map.Get("type")!, P("type"), $"volume type '{type}' is not supported by Gantry: use volume, bind or tmpfs");
                return null;
            default:
                Diagnostics.Error(map.Get("type")!, P("type"), $"'{type}' is not a valid volume type: use volume, bind or tmpfs");
                return null;
        }
    }

    /// <summary>The mount flags a tmpfs takes besides size and mode, as in `docker run --tmpfs /run:rw,noexec,nosuid,size=64m`.</summary>
    private static readonly string[] s_tmpfsFlags = ["rw", "ro", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "atime", "noatime", "diratime", "nodiratime", "relatime", "strictatime"];

    private List<MountSpec> MapTmpfs(ComposeNode? node, string path)
    {
        var result = new List<MountSpec>();
        foreach (var (value, itemNode, itemPath) in reader.Strings(node, path, allowString: true) ?? [])
        {
            var parts = value.Split(':', 2);
            long? size = null;
            int? mode = null;
            var flags = new List<string>();
            if (parts.Length == 2)
            {
                foreach (var option in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (option.StartsWith("size=", StringComparison.Ordinal) && Units.ByteSizeParser.TryParse(option[5..], out var bytes))
                    {
                        size = bytes;
                    }
                    else if (option.StartsWith("mode=", StringComparison.Ordinal) && TryOctal(option[5..], out var bits))
                    {
                        mode = bits;
                    }
                    else if (s_tmpfsFlags.Contains(option))
                    {
                        flags.Add(option);
                    }
                    else
                    {
                        Diagnostics.Error(itemNode, itemPath, $"tmpfs option '{option}' is not supported by Gantry: use size=N, mode=OCTAL or the flags {string.Join(", ", s_tmpfsFlags)}");
                    }
                }
            }
            if (CheckTarget(parts[0], itemNode, itemPath))
            {
                result.Add(new MountSpec(MountType.Tmpfs, null, parts[0])
                {
                    TmpfsSizeBytes = size,
                    TmpfsMode = mode,
                    ReadOnly = flags.Contains("ro"),
                    TmpfsFlags = flags.Count(f => f is not ("ro" or "rw")) > 0 ? flags.Where(f => f is not ("ro" or "rw")).ToList() : null,
                });
            }
        }
        return result;
    }

    private int? MapTmpfsMode(ComposeNode? node, string path)
    {
        var text = reader.String(node, path);
        if (text is null)
        {
            return null;
        }
        // YAML 1.1 reads 01777 as octal; compose files write it either way.
        if (TryOctal(text.StartsWith("0o", StringComparison.Ordinal) ? text[2..] : text, out var bits))
        {
            return bits;
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid tmpfs mode: use octal permission bits such as 1777 or 0755");
        return null;
    }

    private static bool TryOctal(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 5 || text.Any(c => c is < '0' or > '7'))
        {
            return false;
        }
        value = Convert.ToInt32(text, 8);
        return true;
    }

    private List<ServiceNetworkSpec> MapNetworks(ComposeNode? node, string path)
    {
        var result = new List<ServiceNetworkSpec>();
        if (NodeReader.IsAbsent(node))
        {
            return [new ServiceNetworkSpec("default")];
        }
        var entries = new List<(string Name, ComposeNode At, MappingNode? Options, string Path)>();
        if (node is SequenceNode)
        {
            entries.AddRange((reader.Strings(node, path) ?? []).Select(x => (x.Value, x.Node, (MappingNode?)null, x.Path)));
        }
        else if (node is MappingNode map)
        {
            foreach (var (key, value) in map.Entries)
            {
                var itemPath = NodeReader.Join(path, key.Value);
                entries.Add((key.Value, key, reader.Map(value, itemPath), itemPath));
            }
        }
        else
        {
            reader.Expected(node!, path, "a list or a mapping of networks");
            return result;
        }
        foreach (var (name, at, options, itemPath) in entries)
        {
            if (name != "default" && !context.Networks.Contains(name))
            {
                Diagnostics.Error(at, itemPath, $"network '{name}' is not defined: declare it under the top-level 'networks:' key");
                continue;
            }
            var spec = new ServiceNetworkSpec(name);
            if (options is not null)
            {
                SchemaKeys.ServiceNetwork.Check(options, itemPath, Diagnostics);
                spec = spec with
                {
                    Aliases = reader.Strings(options.Get("aliases"), NodeReader.Join(itemPath, "aliases"))?.Select(a => a.Value).ToList() ?? [],
                    Ipv4Address = reader.String(options.Get("ipv4_address"), NodeReader.Join(itemPath, "ipv4_address")),
                };
            }
            result.Add(spec);
        }
        return result.OrderBy(n => n.Network, StringComparer.Ordinal).ToList();
    }

    private List<DependencySpec> MapDependsOn(ComposeNode? node, string path)
    {
        var result = new List<DependencySpec>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is SequenceNode)
        {
            foreach (var (value, at, itemPath) in reader.Strings(node, path) ?? [])
            {
                DependencyOrigins[(_currentService, value)] = (at, itemPath);
                result.Add(new DependencySpec(value));
            }
            return result;
        }
        if (node is not MappingNode map)
        {
            reader.Expected(node!, path, "a list or a mapping of services");
            return result;
        }
        foreach (var (key, value) in map.Entries)
        {
            var itemPath = NodeReader.Join(path, key.Value);
            DependencyOrigins[(_currentService, key.Value)] = (key, itemPath);
            var options = reader.Map(value, itemPath);
            if (options is null)
            {
                result.Add(new DependencySpec(key.Value));
                continue;
            }
            SchemaKeys.DependsOn.Check(options, itemPath, Diagnostics);
            var conditionText = reader.String(options.Get("condition"), NodeReader.Join(itemPath, "condition")) ?? "service_started";
            DependencyCondition? condition = conditionText switch
            {
                "service_started" => DependencyCondition.Started,
                "service_healthy" => DependencyCondition.Healthy,
                "service_completed_successfully" => DependencyCondition.CompletedSuccessfully,
                _ => null,
            };
            if (condition is null)
            {
                Diagnostics.Error(options.Get("condition")!, NodeReader.Join(itemPath, "condition"),
                    $"'{conditionText}' is not a valid condition: use service_started, service_healthy or service_completed_successfully");
                continue;
            }
            result.Add(new DependencySpec(key.Value, condition.Value)
            {
                Required = reader.Bool(options.Get("required"), NodeReader.Join(itemPath, "required")) ?? true,
                Restart = reader.Bool(options.Get("restart"), NodeReader.Join(itemPath, "restart")) ?? false,
            });
        }
        return result;
    }
}
