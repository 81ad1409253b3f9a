using System.Globalization;
using Gantry.Compose.Merge;
using Gantry.Compose.Units;
using Gantry.Compose.Yaml;
using Gantry.Model.Releases;

namespace Gantry.Compose.Mapping;

/// <summary>Typed reads of tree nodes; every wrong type or bad value becomes a diagnostic naming the path and the expected form.</summary>
internal sealed class NodeReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int i) => $"{path}[{i}]";

    /// <summary>A value tagged !reset with nothing to reset, or an explicit null, counts as absent.</summary>
    public static bool IsAbsent(ComposeNode? node) => node is null || node.Tag == "!reset" || node is ScalarNode { IsNull: true };

    public void Expected(ComposeNode node, string path, string what) =>
        Diagnostics.Error(node, path, $"expected {what}, got {Describe(node)}");

    public static string Describe(ComposeNode node) => node switch
    {
        ScalarNode { IsNull: true } => "null",
        ScalarNode s when SecretValues.IsSecretValue(s.Value) => "a value not shown because it looks secret",
        ScalarNode s => $"'{s.Value}'",
        _ => node.KindName,
    };

    public MappingNode? Map(ComposeNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }
        if (node is MappingNode map)
        {
            return map;
        }
        Expected(node!, path, "a mapping");
        return null;
    }

    public string? String(ComposeNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }
        if (node is ScalarNode { IsEmptiedByUnset: true } emptied)
        {
            // As docker compose does: `restart: ${RESTART}` with RESTART unset is `restart` not given.
            Diagnostics.Warning(emptied, path, $"{path} is empty because {Variables(emptied.EmptiedByUnset!)} not set: the compose default for it applies (set the variable to choose a value)");
            return null;
        }
        if (node is ScalarNode s)
        {
            return s.Value;
        }
        Expected(node!, path, "a string");
        return null;
    }

    private static string Variables(IReadOnlyList<string> names) =>
        names.Count == 1 ? $"variable {names[0]} is" : $"variables {string.Join(", ", names.Distinct(StringComparer.Ordinal))} are";

    public bool? Bool(ComposeNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Diagnostics.Error(node!, path, $"'{text}' is not a boolean: use true or false");
                return null;
        }
    }

    public long? Integer(ComposeNode? node, string path, long min = 0, long max = long.MaxValue)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        var range = max == long.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}";
        Diagnostics.Error(node!, path, $"'{text}' is not valid: expected {range}");
        return null;
    }

    public double? Number(ComposeNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid number: expected a non-negative number such as 0.5");
        return null;
    }

    public TimeSpan? Duration(ComposeNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (DurationParser.TryParse(text, out var value))
        {
            return value;
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid duration: use a number with a unit, such as 10s, 1m30s or 500ms");
        return null;
    }

    public long? Bytes(ComposeNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (ByteSizeParser.TryParse(text, out var value))
        {
            return value;
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid size: use a number of bytes with an optional unit (b, k, m, g), such as 512m or 1gb");
        return null;
    }

    public long? NanoCpus(ComposeNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) && cpus >= 0)
        {
            return (long)Math.Round(cpus * 1_000_000_000d);
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid CPU count: use a number such as 0.5 or 2");
        return null;
    }

    /// <summary>A list of strings; a single string becomes a one-item list when <paramref name="allowString"/>.</summary>
    public List<(string Value, ComposeNode Node, string Path)>? Strings(ComposeNode? node, string path, bool allowString = false)
    {
        if (IsAbsent(node))
        {
            return null;
        }
        if (allowString && node is ScalarNode single)
        {
            return [(single.Value, single, path)];
        }
        if (node is not SequenceNode seq)
        {
            Expected(node!, path, allowString ? "a string or a list of strings" : "a list of strings");
            return null;
        }
        var result = new List<(string, ComposeNode, string)>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            if (item is ScalarNode { IsNull: false } s)
            {
                result.Add((s.Value, s, Index(path, i)));
            }
            else
            {
                Expected(item, Index(path, i), "a string");
            }
        }
        return result;
    }

    /// <summary>A compose list_or_dict ("KEY=value" list or mapping); a null value means the key was given without one.</summary>
    public List<(string Key, string? Value, ComposeNode Node, string Path)>? ListOrDict(ComposeNode? node, string path, string field)
    {
        if (IsAbsent(node))
        {
            return null;
        }
        if (node is SequenceNode seq && seq.Items.Any(i => i is not ScalarNode))
        {
            for (var i = 0; i < seq.Items.Count; i++)
            {
                if (seq.Items[i] is not ScalarNode)
                {
                    Expected(seq.Items[i], Index(path, i), "a \"KEY=value\" string");
                }
            }
            return null;
        }
        var normalised = ComposeMerger.ListToMap(node!, field);
        if (normalised is not MappingNode map)
        {
            Expected(node!, path, "a list or a mapping");
            return null;
        }
        var result = new List<(string, string?, ComposeNode, string)>();
        foreach (var (key, value) in map.Entries)
        {
            var itemPath = Join(path, key.Value);
            if (value is ScalarNode s)
            {
                result.Add((key.Value, s.IsNull ? null : s.Value, value, itemPath));
            }
            else
            {
                Expected(value, itemPath, "a string value");
            }
        }
        return result;
    }
}
