using Gantry.Compose.Yaml;

namespace Gantry.Compose;

/// <summary>Collects every diagnostic of one load; nothing short-circuits, so the user sees all problems at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ComposeDiagnostic> _items = [];
    private readonly HashSet<ComposeDiagnostic> _seen = [];
    private readonly HashSet<SourceMark> _poisoned = [];

    public bool HasErrors => _items.Any(d => d.Severity == ComposeSeverity.Error);

    public int ErrorCount => _items.Count(d => d.Severity == ComposeSeverity.Error);

    public void Error(SourceMark mark, string path, string message) => Add(ComposeSeverity.Error, mark, path, message);

    public void Error(ComposeNode node, string path, string message) => Add(ComposeSeverity.Error, node.Mark, path, message);

    public void Warning(SourceMark mark, string path, string message) => Add(ComposeSeverity.Warning, mark, path, message);

    public void Warning(ComposeNode node, string path, string message) => Add(ComposeSeverity.Warning, node.Mark, path, message);

    /// <summary>Marks a node whose value is already known to be bad (e.g. a failed interpolation), so later stages do not report it again.</summary>
    public void Poison(SourceMark mark) => _poisoned.Add(mark);

    private void Add(ComposeSeverity severity, SourceMark mark, string path, string message)
    {
        if (_poisoned.Contains(mark))
        {
            return;
        }
        // The same node can be reached twice (an anchor used in two services, a file extended twice); report it once.
        var diagnostic = new ComposeDiagnostic(severity, mark.File, mark.Line, mark.Column, path, message);
        if (_seen.Add(diagnostic))
        {
            _items.Add(diagnostic);
        }
    }

    public IReadOnlyList<ComposeDiagnostic> ToSortedList() =>
        _items.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
            .ThenBy(d => d.Path, StringComparer.Ordinal).ToList();
}
