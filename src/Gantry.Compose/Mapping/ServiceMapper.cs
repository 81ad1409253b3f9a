using Gantry.Compose.DotEnv;
using Gantry.Compose.Units;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;
using Gantry.Model.Releases;

namespace Gantry.Compose.Mapping;

/// <summary>Maps one service's merged compose tree to a <see cref="ServiceSpec"/>, validating every field it reads.</summary>
/// <remarks>Split over partial files by feature (ports, volumes, runtime policy, container settings, privilege) to keep each file readable.</remarks>
internal sealed partial class ServiceMapper(NodeReader reader, MappingContext context)
{
    private string _currentService = "";

    private DiagnosticBag Diagnostics => reader.Diagnostics;

    /// <summary>Where each depends_on edge was written, so the project-level checks can point at it.</summary>
    public Dictionary<(string Service, string Dependency), (ComposeNode Node, string Path)> DependencyOrigins { get; } = [];

    public ServiceSpec Map(string name, MappingNode svc, string path)
    {
        _currentService = name;
        SchemaKeys.Service.Check(svc, path, Diagnostics);
        ComposeNode? Get(string key) => svc.Get(key);
        string P(string key) => NodeReader.Join(path, key);

        var build = MapBuild(Get("build"), P("build"));
        var image = reader.String(Get("image"), P("image"));
        if (image is not null && image.Trim().Length == 0)
        {
            Diagnostics.Error(Get("image")!, P("image"), "image is empty: give an image reference such as nginx:1.25");
        }
        if (image is null && build is null && Get("build") is null && Get("extends") is null)
        {
            Diagnostics.Error(svc, path, $"service '{name}' has neither 'image' nor 'build': add one of them");
        }
        image ??= build is null ? null : $"{context.ProjectName}-{name.ToLowerInvariant()}:latest";

        var spec = new ServiceSpec
        {
            Name = name,
            Image = image,
            Build = build,
            Command = MapCommand(Get("command"), P("command")),
            Entrypoint = MapCommand(Get("entrypoint"), P("entrypoint")),
            Environment = MapEnvironment(svc, path),
            Ports = MapPorts(Get("ports"), P("ports")),
            Expose = MapExpose(Get("expose"), P("expose")),
            Volumes = MapVolumes(Get("volumes"), P("volumes")).Concat(MapTmpfs(Get("tmpfs"), P("tmpfs"))).ToList(),
            DependsOn = MapDependsOn(Get("depends_on"), P("depends_on")),
            HealthCheck = MapHealthCheck(Get("healthcheck"), P("healthcheck")),
            Labels = MapLabels(Get("labels"), P("labels")),
            Networks = MapNetworks(Get("networks"), P("networks")),
            User = reader.String(Get("user"), P("user")),
            WorkingDir = reader.String(Get("working_dir"), P("working_dir")),
            StopGracePeriod = reader.Duration(Get("stop_grace_period"), P("stop_grace_period")),
            StopSignal = reader.String(Get("stop_signal"), P("stop_signal")),
            ExtraHosts = MapExtraHosts(Get("extra_hosts"), P("extra_hosts")),
            Secrets = MapFileReferences(Get("secrets"), P("secrets"), isSecret: true),
            Configs = MapFileReferences(Get("configs"), P("configs"), isSecret: false),
            Profiles = reader.Strings(Get("profiles"), P("profiles"))?.Select(p => p.Value).ToList() ?? [],
            Extensions = ExtensionJson.FromService(svc),
        };
        return ResolveGantryExtension(ApplyPrivilegeKeys(ApplyContainerKeys(ApplyRuntimePolicy(spec, svc, path), svc, path), svc, path), svc);
    }

    private BuildSpec? MapBuild(ComposeNode? node, string path)
    {
        if (NodeReader.IsAbsent(node))
        {
            return null;
        }
        if (node is ScalarNode s)
        {
            var shortContext = ResolveContext(s.Value, s, path);
            CheckDockerfile(shortContext, "Dockerfile", s, path);
            return new BuildSpec(shortContext);
        }
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.Build.Check(map, path, Diagnostics);
        var contextNode = map.Get("context");
        var contextPath = ResolveContext(reader.String(contextNode, NodeReader.Join(path, "context")) ?? ".", contextNode ?? map, NodeReader.Join(path, "context"));
        var args = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value, _, _) in reader.ListOrDict(map.Get("args"), NodeReader.Join(path, "args"), "args") ?? [])
        {
            args[key] = value ?? context.Lookup(key);
        }
        var dockerfile = reader.String(map.Get("dockerfile"), NodeReader.Join(path, "dockerfile")) ?? "Dockerfile";
        CheckDockerfile(contextPath, dockerfile, map.Get("dockerfile") ?? contextNode ?? map, NodeReader.Join(path, map.Get("dockerfile") is null ? "context" : "dockerfile"));
        return new BuildSpec(contextPath, dockerfile)
        {
            Args = args,
            Target = reader.String(map.Get("target"), NodeReader.Join(path, "target")),
        };
    }

    private string ResolveContext(string value, ComposeNode node, string path)
    {
        if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("git@", StringComparison.Ordinal))
        {
            Diagnostics.Error(node, path, $"build context '{value}' is a remote URL, which is not supported by Gantry: clone it and point the context at a local directory");
            return value;
        }
        var full = Path.GetFullPath(Path.Combine(node.Mark.BaseDir, ExpandHome(value, node, path)));
        context.HostPaths.Check(full, value, node, path, "build context");
        return full;
    }

    // The Dockerfile is read from the context as the engine receives it, but a link there could still name a host file.
    private void CheckDockerfile(string contextPath, string dockerfile, ComposeNode node, string path)
    {
        if (!Path.IsPathRooted(contextPath))
        {
            return;
        }
        var full = Path.GetFullPath(Path.Combine(contextPath, dockerfile));
        if (context.HostPaths.Permits(contextPath))
        {
            context.HostPaths.Check(full, dockerfile, node, path, "dockerfile");
        }
    }

    private string ExpandHome(string value, ComposeNode node, string path)
    {
        if (value != "~" && !value.StartsWith("~/", StringComparison.Ordinal))
        {
            return value;
        }
        var home = context.Lookup("HOME");
        if (home is null)
        {
            Diagnostics.Error(node, path, $"'{value}' starts with '~' but HOME is not set: use an absolute path");
            return value;
        }
        return home + value[1..];
    }

    private List<string>? MapCommand(ComposeNode? node, string path)
    {
        if (node is null || node.Tag == "!reset")
        {
            return null;
        }
        if (node is ScalarNode { IsNull: true })
        {
            return null;
        }
        if (node is ScalarNode s)
        {
            var words = ShellSplitter.Split(s.Value, out var error);
            if (words is null)
            {
                // The splitter quotes the whole command, which may carry a password argument.
                var shown = SecretValues.IsSecretValue(s.Value) ? error!.Replace($"\"{s.Value}\"", "a command not shown because it looks secret", StringComparison.Ordinal) : error!;
                Diagnostics.Error(node, path, shown + ": close the quote or use the list form");
                return null;
            }
            return [.. words];
        }
        return reader.Strings(node, path)?.Select(x => x.Value).ToList();
    }

    private SortedDictionary<string, string?> MapEnvironment(MappingNode svc, string path)
    {
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (file, required, node, itemPath) in EnvFiles(svc.Get("env_file"), NodeReader.Join(path, "env_file")))
        {
            var absolute = Path.GetFullPath(Path.Combine(node.Mark.BaseDir, file));
            // Checked before reading: a host file's content must never reach a parse error.
            if (!context.HostPaths.Check(absolute, file, node, itemPath, "env_file"))
            {
                continue;
            }
            var text = context.ReadFile(absolute);
            if (text is null)
            {
                if (required)
                {
                    Diagnostics.Error(node, itemPath, $"env file '{absolute}' not found: create it, fix the path, or use the long form with 'required: false'");
                }
                continue;
            }
            // Later env files see the values of earlier ones, then the project environment.
            var parsed = DotEnvParser.Parse(text, name => result.TryGetValue(name, out var earlier) && earlier is not null ? earlier : context.Lookup(name));
            foreach (var (line, message) in parsed.Errors)
            {
                Diagnostics.Error(new SourceMark(context.DisplayPath(absolute), line, 1, node.Mark.BaseDir), "", message);
            }
            foreach (var (key, value) in parsed.Values)
            {
                result[key] = value;
            }
        }
        foreach (var (key, value, node, itemPath) in reader.ListOrDict(svc.Get("environment"), NodeReader.Join(path, "environment"), "environment") ?? [])
        {
            if (key.Length == 0 || key.Contains(' ', StringComparison.Ordinal))
            {
                Diagnostics.Error(node, itemPath, $"'{key}' is not a valid environment variable name");
                continue;
            }
            // A bare KEY takes the value from the deploying environment; when unset there it stays unset in the container.
            result[key] = value ?? context.Lookup(key);
        }
        return result;
    }

    private List<(string File, bool Required, ComposeNode Node, string Path)> EnvFiles(ComposeNode? node, string path)
    {
        var result = new List<(string, bool, ComposeNode, string)>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is ScalarNode s)
        {
            result.Add((s.Value, true, s, path));
            return result;
        }
        if (node is not SequenceNode seq)
        {
            reader.Expected(node!, path, "a string or a list");
            return result;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = NodeReader.Index(path, i);
            if (item is ScalarNode { IsNull: false } str)
            {
                result.Add((str.Value, true, str, itemPath));
            }
            else if (item is MappingNode map)
            {
                SchemaKeys.EnvFile.Check(map, itemPath, Diagnostics);
                var file = reader.String(map.Get("path"), NodeReader.Join(itemPath, "path"));
                if (file is null)
                {
                    Diagnostics.Error(map, itemPath, "env_file entry needs 'path'");
                    continue;
                }
                result.Add((file, reader.Bool(map.Get("required"), NodeReader.Join(itemPath, "required")) ?? true, map.Get("path")!, itemPath));
            }
            else
            {
                reader.Expected(item, itemPath, "a path or a mapping with 'path'");
            }
        }
        return result;
    }

    private SortedDictionary<string, string> MapLabels(ComposeNode? node, string path)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _, _) in reader.ListOrDict(node, path, "labels") ?? [])
        {
            result[key] = value ?? "";
        }
        return result;
    }

    private List<string> MapExtraHosts(ComposeNode? node, string path)
    {
        var result = new List<string>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is MappingNode map)
        {
            foreach (var (key, value) in map.Entries)
            {
                var itemPath = NodeReader.Join(path, key.Value);
                var addresses = value is SequenceNode ? reader.Strings(value, itemPath)?.Select(x => x.Value) : [reader.String(value, itemPath) ?? ""];
                foreach (var address in addresses ?? [])
                {
                    AddHost(key.Value, address, value, itemPath);
                }
            }
            return result;
        }
        foreach (var (value, itemNode, itemPath) in reader.Strings(node, path) ?? [])
        {
            var separator = value.Contains('=', StringComparison.Ordinal) ? value.IndexOf('=', StringComparison.Ordinal) : value.IndexOf(':', StringComparison.Ordinal);
            if (separator <= 0)
            {
                Diagnostics.Error(itemNode, itemPath, $"'{value}' is not a valid extra host: use \"host=ip\" or \"host:ip\"");
                continue;
            }
            AddHost(value[..separator], value[(separator + 1)..], itemNode, itemPath);
        }
        return result;

        void AddHost(string host, string address, ComposeNode at, string itemPath)
        {
            address = address.Trim().TrimStart('[').TrimEnd(']');
            if (host.Length == 0 || address.Length == 0)
            {
                Diagnostics.Error(at, itemPath, $"extra host '{host}' needs an address: use \"host=ip\"");
                return;
            }
            result.Add($"{host}:{address}");
        }
    }

    private List<FileReferenceSpec> MapFileReferences(ComposeNode? node, string path, bool isSecret)
    {
        var result = new List<FileReferenceSpec>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is not SequenceNode seq)
        {
            reader.Expected(node!, path, "a list");
            return result;
        }
        var kind = isSecret ? "secret" : "config";
        var declared = isSecret ? context.Secrets : context.Configs;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = NodeReader.Index(path, i);
            string? source;
            string? target = null;
            FileReferenceSpec? spec = null;
            if (item is ScalarNode { IsNull: false } s)
            {
                source = s.Value;
            }
            else if (item is MappingNode map)
            {
                SchemaKeys.FileReference.Check(map, itemPath, Diagnostics);
                source = reader.String(map.Get("source"), NodeReader.Join(itemPath, "source"));
                target = reader.String(map.Get("target"), NodeReader.Join(itemPath, "target"));
                spec = new FileReferenceSpec("", "")
                {
                    Uid = reader.String(map.Get("uid"), NodeReader.Join(itemPath, "uid")),
                    Gid = reader.String(map.Get("gid"), NodeReader.Join(itemPath, "gid")),
                    Mode = MapMode(map.Get("mode"), NodeReader.Join(itemPath, "mode")),
                };
                if (source is null)
                {
                    Diagnostics.Error(map, itemPath, $"{kind} reference needs 'source': the name of a top-level {kind}");
                    continue;
                }
            }
            else
            {
                reader.Expected(item, itemPath, $"a {kind} name or a mapping with 'source'");
                continue;
            }
            if (!declared.Contains(source))
            {
                Diagnostics.Error(item, itemPath, $"{kind} '{source}' is not defined: declare it under the top-level '{kind}s:' key");
            }
            target = isSecret
                ? target is null ? $"/run/secrets/{source}" : target.StartsWith('/') ? target : $"/run/secrets/{target}"
                : target ?? $"/{source}";
            result.Add((spec ?? new FileReferenceSpec("", "")) with { Source = source, Target = target });
        }
        return result;
    }

    private int? MapMode(ComposeNode? node, string path)
    {
        var text = reader.String(node, path);
        if (text is null)
        {
            return null;
        }
        try
        {
            // YAML 1.1 (which compose files are written against) reads a leading 0 as octal: 0444 is r--r--r--.
            if (text.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            {
                return Convert.ToInt32(text[2..], 8);
            }
            return text.Length > 1 && text[0] == '0' ? Convert.ToInt32(text, 8) : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            Diagnostics.Error(node!, path, $"'{text}' is not a valid file mode: use an octal number such as 0444");
            return null;
        }
    }
}
