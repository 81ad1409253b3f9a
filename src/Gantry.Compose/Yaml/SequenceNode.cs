namespace Gantry.Compose.Yaml;

/// <summary>A YAML sequence.</summary>
internal sealed class SequenceNode(SourceMark mark, IReadOnlyList<ComposeNode> items, string? tag = null) : ComposeNode(mark, tag)
{
    public IReadOnlyList<ComposeNode> Items { get; } = items;

    public override string KindName => "a list";
}
