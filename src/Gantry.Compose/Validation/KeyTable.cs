using Gantry.Compose.Yaml;

namespace Gantry.Compose.Validation;

/// <summary>The keys one compose object may hold (from the Compose Specification's schema) and how Gantry treats each.</summary>
internal sealed class KeyTable
{
    private readonly Dictionary<string, KeyRule> _rules = new(StringComparer.Ordinal);

    public KeyTable(string objectName, string supported, string ignored = "", string unsupported = "")
    {
        ObjectName = objectName;
        foreach (var key in Words(supported))
        {
            _rules[key] = new KeyRule(KeyKind.Supported);
        }
        foreach (var key in Words(unsupported))
        {
            _rules[key] = new KeyRule(KeyKind.Unsupported);
        }
        foreach (var entry in ignored.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            _rules[entry[..colon].Trim()] = new KeyRule(KeyKind.Ignored, entry[(colon + 1)..].Trim());
        }
    }

    public string ObjectName { get; }

    /// <summary>Keys users often put at the wrong level, with where they belong (e.g. a service's `replicas` goes under `deploy`).</summary>
    public IReadOnlyDictionary<string, string> Misplaced { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _rules.Keys;

    public KeyRule? Find(string key) => _rules.GetValueOrDefault(key);

    private static string[] Words(string text) => text.Split([' ', '\n', ','], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Reports unknown, ignored and unsupported keys of <paramref name="map"/>; returns false when any key was an error.</summary>
    public bool Check(MappingNode map, string path, DiagnosticBag diagnostics)
    {
        var ok = true;
        foreach (var (key, _) in map.Entries)
        {
            var name = key.Value;
            var keyPath = path.Length == 0 ? name : $"{path}.{name}";
            if (name.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }
            var rule = Find(name);
            if (rule is null && Misplaced.TryGetValue(name, out var belongs))
            {
                diagnostics.Error(key, keyPath, $"unknown key '{name}' in {ObjectName}: did you mean '{belongs}'?");
                ok = false;
            }
            else if (rule is null)
            {
                var suggestion = DidYouMean.Suggest(name, _rules.Keys);
                diagnostics.Error(key, keyPath, suggestion is null
                    ? $"unknown key '{name}' in {ObjectName}; valid keys are: {string.Join(", ", _rules.Keys.Order(StringComparer.Ordinal))}"
                    : $"unknown key '{name}': did you mean '{suggestion}'?");
                ok = false;
            }
            else if (rule.Kind == KeyKind.Unsupported)
            {
                diagnostics.Error(key, keyPath, $"'{name}' is not supported by Gantry{(rule.Note is null ? "" : "; " + rule.Note)}; remove it to deploy this app");
                ok = false;
            }
            else if (rule.Kind == KeyKind.Ignored)
            {
                diagnostics.Warning(key, keyPath, rule.Note!);
            }
        }
        return ok;
    }
}
