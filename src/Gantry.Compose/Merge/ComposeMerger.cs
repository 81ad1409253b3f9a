using Gantry.Compose.Yaml;

namespace Gantry.Compose.Merge;

/// <summary>Merges compose documents and services by the Compose Specification's merge rules (merge.md).</summary>
/// <remarks>
/// Mappings merge recursively and the later value wins for scalars. Sequences are appended, except:
/// command, entrypoint and healthcheck.test are replaced; environment, labels, extra_hosts,
/// sysctls, build.args, depends_on and networks merge by key whichever syntax each file used;
/// ports, volumes, secrets, configs, expose, env_file and the other value lists keep one entry per
/// unique key (ports by ip/published/target/protocol, volumes by target, secrets and configs by target).
/// `!reset` removes a value and `!override` replaces it without merging.
/// </remarks>
internal static class ComposeMerger
{
    private static readonly HashSet<string> Replaced = new(StringComparer.Ordinal) { "command", "entrypoint" };

    private static readonly HashSet<string> KeyedMaps = new(StringComparer.Ordinal)
    {
        "environment", "labels", "extra_hosts", "sysctls", "depends_on", "networks", "annotations",
    };

    public static MappingNode MergeDocuments(MappingNode baseDoc, MappingNode overDoc) =>
        MergeMapping(baseDoc, overDoc, (key, b, o) => key == "services" ? MergeServices(b, o) : MergeGeneric(b, o));

    public static MappingNode MergeServiceDefinitions(MappingNode baseService, MappingNode overService) =>
        MergeMapping(baseService, overService, MergeServiceKey);

    private static ComposeNode? MergeServices(ComposeNode b, ComposeNode o)
    {
        if (b is MappingNode bm && o is MappingNode om && o.Tag is null)
        {
            return MergeMapping(bm, om, (_, bs, os) =>
                bs is MappingNode bsm && os is MappingNode osm && os.Tag is null ? MergeServiceDefinitions(bsm, osm) : Tagged(os));
        }
        return Tagged(o);
    }

    private static ComposeNode? MergeServiceKey(string key, ComposeNode b, ComposeNode o)
    {
        if (o.Tag is "!reset" or "!override")
        {
            return Tagged(o);
        }
        if (Replaced.Contains(key))
        {
            return o;
        }
        if (KeyedMaps.Contains(key))
        {
            return MergeGeneric(ListToMap(b, key), ListToMap(o, key));
        }
        if (key == "build" && b is MappingNode bb && o is MappingNode ob)
        {
            return MergeMapping(bb, ob, (k, x, y) => k == "args" ? MergeGeneric(ListToMap(x, k), ListToMap(y, k)) : MergeGeneric(x, y));
        }
        if (key == "build" && (b is ScalarNode || o is ScalarNode))
        {
            return MergeGeneric(BuildToMap(b), BuildToMap(o));
        }
        if (key == "healthcheck" && b is MappingNode hb && o is MappingNode ho)
        {
            return MergeMapping(hb, ho, (k, x, y) => k == "test" ? y : MergeGeneric(x, y));
        }
        if (b is SequenceNode bs && o is SequenceNode os)
        {
            return MergeUnique(bs, os, key);
        }
        return MergeGeneric(b, o);
    }

    private static ComposeNode? MergeGeneric(ComposeNode b, ComposeNode o)
    {
        if (o.Tag is "!reset" or "!override")
        {
            return Tagged(o);
        }
        if (b is MappingNode bm && o is MappingNode om)
        {
            return MergeMapping(bm, om, (_, x, y) => MergeGeneric(x, y));
        }
        if (b is SequenceNode bs && o is SequenceNode os)
        {
            return new SequenceNode(os.Mark, bs.Items.Concat(os.Items).ToList());
        }
        return o;
    }

    // `!reset` removes the value; `!override` (or any other value that cannot merge) replaces it.
    private static ComposeNode? Tagged(ComposeNode over) => over.Tag == "!reset" ? null : over;

    private static MappingNode MergeMapping(MappingNode b, MappingNode o, Func<string, ComposeNode, ComposeNode, ComposeNode?> mergeChild)
    {
        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
        foreach (var entry in b.Entries)
        {
            var over = o.Get(entry.Key.Value);
            if (over is null)
            {
                entries.Add(entry);
                continue;
            }
            var merged = mergeChild(entry.Key.Value, entry.Value, over);
            if (merged is not null)
            {
                entries.Add(new(o.GetKey(entry.Key.Value)!, merged));
            }
        }
        foreach (var entry in o.Entries)
        {
            if (!b.Contains(entry.Key.Value) && entry.Value.Tag != "!reset")
            {
                entries.Add(entry);
            }
        }
        return new MappingNode(b.Mark, entries, b.Tag);
    }

    private static SequenceNode MergeUnique(SequenceNode b, SequenceNode o, string key)
    {
        var items = new List<ComposeNode>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in b.Items.Concat(o.Items))
        {
            var unique = UniqueKey(key, item);
            if (unique is not null && index.TryGetValue(unique, out var at))
            {
                items[at] = item;
                continue;
            }
            if (unique is not null)
            {
                index[unique] = items.Count;
            }
            items.Add(item);
        }
        return new SequenceNode(o.Mark, items, o.Tag);
    }

    private static string? UniqueKey(string key, ComposeNode item)
    {
        switch (key)
        {
            case "volumes":
                if (item is ScalarNode v)
                {
                    var parts = v.Value.Split(':');
                    return parts.Length == 1 ? parts[0] : parts[1];
                }
                return (item as MappingNode)?.Get("target") is ScalarNode t ? t.Value : null;
            case "secrets" or "configs":
            {
                // Unique by the target path each form resolves to, so "s1" and {source: s1, target: /run/secrets/s1} are one entry.
                var map = item as MappingNode;
                var source = item is ScalarNode s ? s.Value : (map?.Get("source") as ScalarNode)?.Value;
                var target = (map?.Get("target") as ScalarNode)?.Value;
                if (key == "secrets")
                {
                    target ??= source;
                    return target is null ? null : target.StartsWith('/') ? target : "/run/secrets/" + target;
                }
                return target ?? (source is null ? null : "/" + source);
            }
            case "ports":
                if (item is ScalarNode p)
                {
                    return p.Value.Contains('/', StringComparison.Ordinal) ? p.Value : p.Value + "/tcp";
                }
                if (item is MappingNode pm)
                {
                    string Field(string name, string fallback) => (pm.Get(name) as ScalarNode)?.Value ?? fallback;
                    var published = Field("published", "");
                    var hostIp = Field("host_ip", "");
                    var prefix = hostIp.Length > 0 ? $"{hostIp}:{published}:" : published.Length > 0 ? $"{published}:" : "";
                    return $"{prefix}{Field("target", "")}/{Field("protocol", "tcp")}";
                }
                return null;
            case "env_file":
                return item is ScalarNode e ? e.Value : ((item as MappingNode)?.Get("path") as ScalarNode)?.Value;
            default:
                // expose, profiles, dns, tmpfs, cap_add and the other value lists: unique by value.
                return item is ScalarNode any ? any.Value : null;
        }
    }

    private static ComposeNode BuildToMap(ComposeNode build) =>
        build is ScalarNode s && !s.IsNull
            ? new MappingNode(s.Mark, [new(new ScalarNode(s.Mark, "context", false, false), s)])
            : build;

    /// <summary>Normalises the list syntax of a keyed field ("KEY=value", "host:ip", "service") to a mapping so files using different syntaxes merge.</summary>
    public static ComposeNode ListToMap(ComposeNode node, string key)
    {
        if (node is not SequenceNode seq || seq.Items.Any(i => i is not ScalarNode))
        {
            return node;
        }
        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
        foreach (ScalarNode item in seq.Items)
        {
            string name;
            ComposeNode value;
            var separator = key switch
            {
                "extra_hosts" => item.Value.IndexOfAny(['=', ':']),
                "depends_on" or "networks" => -1,
                _ => item.Value.IndexOf('=', StringComparison.Ordinal),
            };
            if (key == "extra_hosts" && item.Value.Contains('=', StringComparison.Ordinal))
            {
                separator = item.Value.IndexOf('=', StringComparison.Ordinal);
            }
            if (separator < 0)
            {
                name = item.Value;
                value = new ScalarNode(item.Mark, "", true, false);
            }
            else
            {
                name = item.Value[..separator];
                value = new ScalarNode(item.Mark, item.Value[(separator + 1)..], false, true);
            }
            entries.RemoveAll(e => e.Key.Value == name);
            entries.Add(new(new ScalarNode(item.Mark, name, false, false), value));
        }
        return new MappingNode(seq.Mark, entries, seq.Tag);
    }
}
