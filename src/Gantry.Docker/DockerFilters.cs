using System.Text.Json;
using Gantry.Docker.Transport;

namespace Gantry.Docker;

/// <summary>Engine API list/event filters such as <c>label=gantry.app=web</c>, <c>name=x</c>, <c>status=running</c>.</summary>
public sealed class DockerFilters
{
    private readonly Dictionary<string, List<string>> _filters = new(StringComparer.Ordinal);

    /// <summary>True when no filter was added.</summary>
    public bool IsEmpty => _filters.Count == 0;

    /// <summary>Adds one value for a filter key; several values for one key are ORed by the daemon, different keys ANDed.</summary>
    public DockerFilters Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_filters.TryGetValue(key, out var values))
        {
            values = [];
            _filters[key] = values;
        }

        values.Add(value);
        return this;
    }

    /// <summary>Adds <c>label=key=value</c> (or <c>label=key</c> when value is null).</summary>
    public DockerFilters Label(string key, string? value = null) => Add("label", value is null ? key : $"{key}={value}");

    /// <summary>Shortcut for one label filter.</summary>
    public static DockerFilters ForLabel(string key, string? value = null) => new DockerFilters().Label(key, value);

    /// <summary>The JSON form the daemon expects in the <c>filters</c> query parameter.</summary>
    public string ToJson()
    {
        var copy = _filters.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value, StringComparer.Ordinal);
        return JsonSerializer.Serialize(copy, DockerJsonContext.Default.IReadOnlyDictionaryStringIReadOnlyListString);
    }
}
