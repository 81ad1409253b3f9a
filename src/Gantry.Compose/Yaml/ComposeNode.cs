namespace Gantry.Compose.Yaml;

/// <summary>A YAML node that remembers its origin, so diagnostics survive merging, extends and include.</summary>
internal abstract class ComposeNode(SourceMark mark, string? tag)
{
    public SourceMark Mark { get; } = mark;

    /// <summary>Explicit tag such as "!reset" or "!override"; null when untagged.</summary>
    public string? Tag { get; } = tag;

    public abstract string KindName { get; }
}
