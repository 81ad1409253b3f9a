using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gantry.Compose.Yaml;

/// <summary>Reads YAML text into <see cref="ComposeNode"/> trees, resolving anchors, aliases and merge keys and reporting duplicate keys.</summary>
/// <remarks>
/// Works on YamlDotNet's parser events rather than its representation model so that every node
/// keeps its start mark and merge keys (`&lt;&lt;`) can be applied with compose's precedence
/// (explicit keys win, earlier merged maps win over later ones).
/// </remarks>
internal sealed partial class YamlTreeReader
{
    private readonly string _file;
    private readonly string _baseDir;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, ComposeNode> _anchors = new(StringComparer.Ordinal);
    private IParser _parser = null!;

    private YamlTreeReader(string file, string baseDir, DiagnosticBag diagnostics)
    {
        _file = file;
        _baseDir = baseDir;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses the first document; returns null (with a diagnostic) when the YAML is malformed, and an empty mapping for an empty file.</summary>
    public static ComposeNode? Read(string text, string file, string baseDir, DiagnosticBag diagnostics)
    {
        var reader = new YamlTreeReader(file, baseDir, diagnostics);
        try
        {
            return reader.ReadStream(text);
        }
        catch (YamlException ex)
        {
            diagnostics.Error(new SourceMark(file, (int)ex.Start.Line, (int)ex.Start.Column, baseDir), "", "invalid YAML: " + CleanMessage(ex));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this for a few malformed inputs (e.g. a plain scalar cut short); report where parsing got to.
            var at = reader._parser?.Current?.End ?? Mark.Empty;
            diagnostics.Error(new SourceMark(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), baseDir), "", "invalid YAML: the document could not be parsed after this point; check indentation and quotes");
            return null;
        }
    }

    private static string CleanMessage(YamlException ex)
    {
        var message = LocationPrefix().Replace(ex.Message, "");
        return message.Length == 0 ? "syntax error" : message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex LocationPrefix();

    private ComposeNode? ReadStream(string text)
    {
        _parser = new Parser(new StringReader(text));
        Expect<StreamStart>();
        if (_parser.Current is StreamEnd)
        {
            return new MappingNode(new SourceMark(_file, 1, 1, _baseDir), []);
        }
        Expect<DocumentStart>();
        var root = ReadNode();
        Expect<DocumentEnd>();
        if (_parser.Current is DocumentStart start)
        {
            _diagnostics.Warning(MarkOf(start.Start), "", "only the first YAML document of a compose file is used; the following documents are ignored");
        }
        return root;
    }

    private T Expect<T>() where T : ParsingEvent
    {
        if (_parser.Current is null)
        {
            _parser.MoveNext();
        }
        var current = _parser.Current as T ?? throw new YamlException(_parser.Current!.Start, _parser.Current.End, $"unexpected {_parser.Current.GetType().Name}");
        _parser.MoveNext();
        return current;
    }

    private SourceMark MarkOf(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column, _baseDir);

    private static string? TagOf(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? null : tag.Value;

    private ComposeNode ReadNode()
    {
        var current = _parser.Current!;
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }
                throw new YamlException(alias.Start, alias.End, $"unknown anchor '*{alias.Value.Value}': define '&{alias.Value.Value}' before using it");
            case Scalar scalar:
            {
                _parser.MoveNext();
                var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                var isNull = plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL" && TagOf(scalar.Tag) is null or "!reset";
                var node = new ScalarNode(MarkOf(scalar.Start), scalar.Value, isNull, !plain, TagOf(scalar.Tag));
                Remember(scalar.Anchor, node);
                return node;
            }
            case SequenceStart start:
            {
                _parser.MoveNext();
                var items = new List<ComposeNode>();
                while (_parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode());
                }
                _parser.MoveNext();
                var node = new SequenceNode(MarkOf(start.Start), items, TagOf(start.Tag));
                Remember(start.Anchor, node);
                return node;
            }
            case MappingStart start:
            {
                _parser.MoveNext();
                var node = ReadMapping(start);
                Remember(start.Anchor, node);
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private MappingNode ReadMapping(MappingStart start)
    {
        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
        var merged = new List<MappingNode>();
        while (_parser.Current is not MappingEnd)
        {
            var keyNode = ReadNode();
            var value = ReadNode();
            if (keyNode is not ScalarNode key)
            {
                _diagnostics.Error(keyNode, "", "mapping keys must be plain strings, not " + keyNode.KindName);
                continue;
            }
            if (key.Value == "<<" && !key.Quoted)
            {
                CollectMergeSources(value, merged);
                continue;
            }
            var previous = entries.FindIndex(e => e.Key.Value == key.Value);
            if (previous >= 0)
            {
                _diagnostics.Error(key, "", $"duplicate key '{key.Value}' (first defined at line {entries[previous].Key.Mark.Line}): remove one of them");
                entries[previous] = new(key, value);
                continue;
            }
            entries.Add(new(key, value));
        }
        _parser.MoveNext();

        // Merge keys: explicit keys win; among merged maps the first one listed wins.
        foreach (var source in merged)
        {
            foreach (var entry in source.Entries)
            {
                if (!entries.Exists(e => e.Key.Value == entry.Key.Value))
                {
                    entries.Add(entry);
                }
            }
        }
        return new MappingNode(MarkOf(start.Start), entries, TagOf(start.Tag));
    }

    private void CollectMergeSources(ComposeNode value, List<MappingNode> merged)
    {
        switch (value)
        {
            case MappingNode map:
                merged.Add(map);
                break;
            case SequenceNode seq:
                foreach (var item in seq.Items)
                {
                    if (item is MappingNode m)
                    {
                        merged.Add(m);
                    }
                    else
                    {
                        _diagnostics.Error(item, "", "a merge key '<<' takes a mapping or a list of mappings (use an alias such as <<: *defaults)");
                    }
                }
                break;
            default:
                _diagnostics.Error(value, "", "a merge key '<<' takes a mapping or a list of mappings (use an alias such as <<: *defaults)");
                break;
        }
    }

    private void Remember(AnchorName anchor, ComposeNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
    }
}
