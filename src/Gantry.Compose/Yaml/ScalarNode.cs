namespace Gantry.Compose.Yaml;

/// <summary>A scalar: its text as written, and whether YAML reads it as null.</summary>
internal sealed class ScalarNode(SourceMark mark, string value, bool isNull, bool quoted, string? tag = null) : ComposeNode(mark, tag)
{
    public string Value { get; } = value;

    public bool IsNull { get; } = isNull;

    /// <summary>Quoted scalars are always strings; plain ones may be numbers or booleans.</summary>
    public bool Quoted { get; } = quoted;

    public override string KindName => IsNull ? "null" : "a scalar";

    /// <summary>The unset variables that interpolation replaced with nothing, when they left this value empty (`restart: ${RESTART}`); null otherwise.</summary>
    public IReadOnlyList<string>? EmptiedByUnset { get; private init; }

    /// <summary>True when the value is empty only because variables were unset: compose then applies the key's default.</summary>
    public bool IsEmptiedByUnset => EmptiedByUnset is { Count: > 0 } && Value.Length == 0;

    public ScalarNode WithValue(string value, IReadOnlyList<string>? emptiedByUnset = null) =>
        new(Mark, value, false, Quoted, Tag) { EmptiedByUnset = value.Length == 0 && emptiedByUnset is { Count: > 0 } ? emptiedByUnset : null };
}
