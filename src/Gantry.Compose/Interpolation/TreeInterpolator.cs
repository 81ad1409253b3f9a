using Gantry.Compose.Yaml;
using Gantry.Model.Releases;

namespace Gantry.Compose.Interpolation;

/// <summary>Applies interpolation to every scalar value of a tree (keys are left alone, as compose does), reporting errors at the scalar.</summary>
internal sealed class TreeInterpolator(Func<string, string?> lookup, DiagnosticBag diagnostics)
{
    private readonly Dictionary<ComposeNode, ComposeNode> _done = new(ReferenceEqualityComparer.Instance);

    public ComposeNode Apply(ComposeNode node, string path)
    {
        // Aliased nodes appear several times in the tree; interpolate each once so errors are reported once.
        if (_done.TryGetValue(node, out var cached))
        {
            return cached;
        }
        ComposeNode result = node switch
        {
            ScalarNode scalar => ApplyScalar(scalar, path),
            SequenceNode seq => new SequenceNode(seq.Mark, seq.Items.Select((item, i) => Apply(item, $"{path}[{i}]")).ToList(), seq.Tag),
            MappingNode map => new MappingNode(map.Mark, map.Entries.Select(e => new KeyValuePair<ScalarNode, ComposeNode>(e.Key, Apply(e.Value, Join(path, e.Key.Value)))).ToList(), map.Tag),
            _ => node,
        };
        _done[node] = result;
        return result;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private ScalarNode ApplyScalar(ScalarNode scalar, string path)
    {
        if (scalar.IsNull || !scalar.Value.Contains('$', StringComparison.Ordinal))
        {
            return scalar;
        }
        var key = path[(path.LastIndexOf('.') + 1)..];
        var unset = new List<string>();
        var outcome = Interpolator.Interpolate(scalar.Value, lookup,
            name =>
            {
                unset.Add(name);
                diagnostics.Warning(scalar, path, $"variable {name} is not set; it is replaced by an empty string (set it, or write ${{{name}:-default}})");
            },
            hideInput: SecretValues.LooksSecret(key, scalar.Value));
        if (outcome.Error is not null)
        {
            diagnostics.Error(scalar, path, outcome.Error);
            diagnostics.Poison(scalar.Mark);
            return scalar.WithValue("");
        }
        // Remembered so a key whose value is left empty reads as not set (compose's default), not as an invalid "".
        return scalar.WithValue(outcome.Value!, unset);
    }
}
