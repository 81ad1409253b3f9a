namespace Gantry.Compose.Yaml;

/// <summary>A YAML mapping with string keys, in file order.</summary>
internal sealed class MappingNode(SourceMark mark, IReadOnlyList<KeyValuePair<ScalarNode, ComposeNode>> entries, string? tag = null) : ComposeNode(mark, tag)
{
    public IReadOnlyList<KeyValuePair<ScalarNode, ComposeNode>> Entries { get; } = entries;

    public override string KindName => "a mapping";

    public ComposeNode? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Value;
            }
        }
        return null;
    }

    public ScalarNode? GetKey(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Key;
            }
        }
        return null;
    }

    public bool Contains(string key) => GetKey(key) is not null;

    public MappingNode With(string key, ComposeNode value)
    {
        var list = new List<KeyValuePair<ScalarNode, ComposeNode>>(Entries.Count + 1);
        var replaced = false;
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                list.Add(new(entry.Key, value));
                replaced = true;
            }
            else
            {
                list.Add(entry);
            }
        }
        if (!replaced)
        {
            list.Add(new(new ScalarNode(value.Mark, key, false, false), value));
        }
        return new MappingNode(Mark, list, Tag);
    }

    public MappingNode Without(string key) =>
        new(Mark, Entries.Where(e => e.Key.Value != key).ToList(), Tag);
}
