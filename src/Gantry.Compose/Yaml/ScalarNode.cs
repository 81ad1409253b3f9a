namespace Gantry.Compose.Yaml;

/// <summary>A scalar: its text as written, and whether YAML reads it as null.</summary>
internal sealed class ScalarNode(SourceMark mark, string value, bool isNull, bool quoted, string? tag = null) : ComposeNode(mark, tag)
{
    public string Value { get; } = value;

    public bool IsNull { get; } = isNull;

    /// <summary>Quoted scalars are always strings; plain ones may be numbers or booleans.</summary>
    public bool Quoted { get; } = quoted;

    public override string KindName => IsNull ? "null" : "a scalar";

    public ScalarNode WithValue(string value) => new(Mark, value, false, Quoted, Tag);
}
