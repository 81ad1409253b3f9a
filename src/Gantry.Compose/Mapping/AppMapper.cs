using System.Text.RegularExpressions;
using Gantry.Compose.HostPaths;
using Gantry.Compose.Privilege;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

/// <summary>Maps the fully merged project tree to an <see cref="AppSpec"/>: top-level resources, services, profiles and the project-wide checks (references, cycles).</summary>
internal sealed partial class AppMapper(DiagnosticBag diagnostics, Func<string, string?> lookup, Func<string, string?> readFile, Func<string, string> displayPath, HostPathGuard hostPaths, PrivilegePolicy privilege, string? enginePlatform)
{
    private readonly NodeReader _reader = new(diagnostics);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ResourceName();

    public AppSpec? Map(MappingNode root, string projectName, IReadOnlyList<string> profiles, string environment)
    {
        SchemaKeys.TopLevel.Check(root, "", diagnostics);
        var networks = MapNetworks(root.Get("networks"));
        var volumes = MapVolumes(root.Get("volumes"));
        var secrets = MapFileObjects(root.Get("secrets"), "secrets", SchemaKeys.Secret);
        var configs = MapFileObjects(root.Get("configs"), "configs", SchemaKeys.Config);
        var context = new MappingContext(
            projectName, lookup,
            networks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal),
            volumes.Select(v => v.Name).ToHashSet(StringComparer.Ordinal),
            secrets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal),
            configs.Select(c => c.Name).ToHashSet(StringComparer.Ordinal),
            readFile, displayPath, hostPaths, new PrivilegeGuard(privilege, projectName, diagnostics), enginePlatform);
        var mapper = new ServiceMapper(_reader, context);

        var all = new List<(ServiceSpec Spec, ScalarNode Key)>();
        var servicesNode = root.Get("services");
        if (servicesNode is MappingNode services)
        {
            foreach (var (key, value) in services.Entries)
            {
                var path = $"services.{key.Value}";
                if (!Names.IsValidServiceName(key.Value))
                {
                    diagnostics.Error(key, path, $"'{key.Value}' is not a valid service name: use letters, digits, '_', '.' and '-', starting with a letter or digit (at most 63 characters)");
                    continue;
                }
                if (value is not MappingNode svc)
                {
                    if (NodeReader.IsAbsent(value))
                    {
                        diagnostics.Error(key, path, $"service '{key.Value}' is empty: give it an 'image' or a 'build'");
                    }
                    else
                    {
                        _reader.Expected(value, path, "a mapping");
                    }
                    continue;
                }
                all.Add((mapper.Map(key.Value, svc, path), key));
            }
        }
        else if (!NodeReader.IsAbsent(servicesNode))
        {
            _reader.Expected(servicesNode!, "services", "a mapping of services");
        }
        else if (root.Get("include") is null)
        {
            diagnostics.Error(root.Mark with { Line = Math.Max(1, root.Mark.Line), Column = Math.Max(1, root.Mark.Column) }, "services", "the project defines no services: add a top-level 'services:' mapping");
        }

        var active = all.Where(s => IsActive(s.Spec, profiles)).ToList();
        var activeNames = active.Select(s => s.Spec.Name).ToHashSet(StringComparer.Ordinal);
        var allByName = all.ToDictionary(s => s.Spec.Name, s => s.Spec, StringComparer.Ordinal);
        var result = new List<ServiceSpec>();
        foreach (var (spec, _) in active)
        {
            var kept = new List<DependencySpec>();
            foreach (var dependency in spec.DependsOn)
            {
                var (at, depPath) = mapper.DependencyOrigins[(spec.Name, dependency.Service)];
                if (activeNames.Contains(dependency.Service))
                {
                    kept.Add(dependency);
                }
                else if (!dependency.Required)
                {
                    continue;
                }
                else if (allByName.TryGetValue(dependency.Service, out var disabled))
                {
                    diagnostics.Error(at, depPath, $"service '{spec.Name}' depends on '{dependency.Service}', which is disabled by its profiles [{string.Join(", ", disabled.Profiles)}]: enable one of them (--profile {disabled.Profiles[0]}) or set 'required: false'");
                }
                else
                {
                    diagnostics.Error(at, depPath, $"service '{spec.Name}' depends on undefined service '{dependency.Service}': define it or remove the dependency");
                }
            }
            result.Add(spec with { DependsOn = kept });
        }
        result = ApplyLinksAndSharedStacks(result, mapper, allByName);
        ReportCycles(result, mapper);

        var usedNetworks = result.SelectMany(s => s.Networks).Select(n => n.Network).ToHashSet(StringComparer.Ordinal);
        if (usedNetworks.Contains("default") && !networks.Any(n => n.Name == "default"))
        {
            networks.Add(new NetworkSpec("default"));
        }
        if (diagnostics.HasErrors)
        {
            return null;
        }
        return new AppSpec
        {
            Name = projectName,
            Environment = environment,
            Services = result.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
            Networks = networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            Volumes = volumes.OrderBy(v => v.Name, StringComparer.Ordinal).ToList(),
            Secrets = secrets.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
            Configs = configs.OrderBy(c => c.Name, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// `links: [db:database]` makes "database" an alias of db on every network the two share, and `network_mode: service:vpn`
    /// runs in vpn's network stack; both imply a dependency, as in compose, so the target starts first.
    /// </summary>
    private List<ServiceSpec> ApplyLinksAndSharedStacks(List<ServiceSpec> services, ServiceMapper mapper, Dictionary<string, ServiceSpec> all)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var aliases = new Dictionary<(string Service, string Network), SortedSet<string>>();
        var implied = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Imply(string service, string target, ComposeNode at, string path)
        {
            if (!implied.TryGetValue(service, out var list))
            {
                implied[service] = list = [];
            }
            list.Add(target);
            mapper.DependencyOrigins.TryAdd((service, target), (at, path));
        }
        bool Exists(string service, string target, ComposeNode at, string path, string what)
        {
            if (byName.ContainsKey(target))
            {
                return true;
            }
            diagnostics.Error(at, path, all.TryGetValue(target, out var disabled)
                ? $"service '{service}' {what} '{target}', which is disabled by its profiles [{string.Join(", ", disabled.Profiles)}]: enable one of them (--profile {disabled.Profiles[0]})"
                : $"service '{service}' {what} undefined service '{target}': define it or fix the name{(DidYouMean.Suggest(target, byName.Keys) is { } near ? $" (did you mean '{near}'?)" : "")}");
            return false;
        }
        foreach (var (service, links) in mapper.Links.Where(l => byName.ContainsKey(l.Key)))
        {
            foreach (var (target, alias, at, path) in links)
            {
                if (!Exists(service, target, at, path, "links to"))
                {
                    continue;
                }
                Imply(service, target, at, path);
                var shared = byName[service].Networks.Select(n => n.Network).Intersect(byName[target].Networks.Select(n => n.Network)).ToList();
                if (shared.Count == 0)
                {
                    diagnostics.Error(at, path, $"service '{service}' links to '{target}', but they share no network: put both on a common network");
                }
                foreach (var network in shared.Where(_ => alias != target))
                {
                    if (!aliases.TryGetValue((target, network), out var set))
                    {
                        aliases[(target, network)] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    set.Add(alias);
                }
            }
        }
        foreach (var (service, (target, at, path)) in mapper.NetworkModeServices.Where(n => byName.ContainsKey(n.Key)))
        {
            if (Exists(service, target, at, path, "shares the network stack of"))
            {
                Imply(service, target, at, path);
            }
        }
        return services.Select(s =>
        {
            var networks = s.Networks.Select(n => aliases.TryGetValue((s.Name, n.Network), out var extra)
                ? n with { Aliases = n.Aliases.Union(extra, StringComparer.Ordinal).ToList() }
                : n).ToList();
            var dependsOn = s.DependsOn.Concat((implied.GetValueOrDefault(s.Name) ?? []).Distinct(StringComparer.Ordinal)
                .Where(t => s.DependsOn.All(d => d.Service != t)).Select(t => new DependencySpec(t))).ToList();
            return s with { Networks = networks, DependsOn = dependsOn };
        }).ToList();
    }

    private static bool IsActive(ServiceSpec spec, IReadOnlyList<string> profiles) =>
        spec.Profiles.Count == 0 || profiles.Contains("*") || spec.Profiles.Any(profiles.Contains);

    private void ReportCycles(List<ServiceSpec> services, ServiceMapper mapper)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the stack, 2 = done
        var stack = new List<string>();
        foreach (var service in services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            Visit(service.Name);
        }

        void Visit(string name)
        {
            if (state.GetValueOrDefault(name) == 2)
            {
                return;
            }
            state[name] = 1;
            stack.Add(name);
            foreach (var dependency in byName[name].DependsOn)
            {
                if (state.GetValueOrDefault(dependency.Service) == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(dependency.Service)).Append(dependency.Service);
                    var (at, path) = mapper.DependencyOrigins[(name, dependency.Service)];
                    diagnostics.Error(at, path, $"dependency cycle: {string.Join(" -> ", cycle)}; remove one of these depends_on entries");
                }
                else if (byName.ContainsKey(dependency.Service))
                {
                    Visit(dependency.Service);
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
        }
    }

    private IEnumerable<(ScalarNode Key, MappingNode? Body, string Path)> Entries(ComposeNode? node, string section)
    {
        if (NodeReader.IsAbsent(node))
        {
            yield break;
        }
        if (node is not MappingNode map)
        {
            _reader.Expected(node!, section, "a mapping");
            yield break;
        }
        foreach (var (key, value) in map.Entries)
        {
            var path = $"{section}.{key.Value}";
            if (key.Value.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }
            if (!ResourceName().IsMatch(key.Value))
            {
                diagnostics.Error(key, path, $"'{key.Value}' is not a valid name: use letters, digits, '_', '.' and '-'");
                continue;
            }
            yield return (key, _reader.Map(value, path), path);
        }
    }

    private (bool External, string? Name) External(MappingNode body, string path)
    {
        var node = body.Get("external");
        var name = _reader.String(body.Get("name"), NodeReader.Join(path, "name"));
        if (node is MappingNode legacy)
        {
            // The old `external: {name: x}` form.
            return (true, _reader.String(legacy.Get("name"), NodeReader.Join(path, "external.name")) ?? name);
        }
        return (_reader.Bool(node, NodeReader.Join(path, "external")) ?? false, name);
    }

    private Dictionary<string, string> StringMap(ComposeNode? node, string path, string field)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _, _) in _reader.ListOrDict(node, path, field) ?? [])
        {
            result[key] = value ?? "";
        }
        return new Dictionary<string, string>(result, StringComparer.Ordinal);
    }
}
