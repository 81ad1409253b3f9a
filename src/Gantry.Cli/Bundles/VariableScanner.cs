namespace Gantry.Cli.Bundles;

/// <summary>
/// Finds the variable names a compose file interpolates, with compose's grammar: `$NAME`,
/// `${NAME}`, `${NAME:-default}` / `-`, `:?` / `?`, `:+` / `+` (whose values may nest further
/// references), and `$$` as an escaped dollar that references nothing.
/// </summary>
public static class VariableScanner
{
    /// <summary>Adds every name referenced in <paramref name="text"/> to <paramref name="names"/>.</summary>
    public static void Scan(string text, ISet<string> names)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                i++;
                continue;
            }
            var next = text[i + 1];
            if (next == '$')
            {
                i += 2;
            }
            else if (next == '{')
            {
                var close = FindClosingBrace(text, i + 2);
                if (close < 0)
                {
                    // Unterminated: compose rejects the file; there is nothing reliable to read past here.
                    return;
                }
                ScanBraced(text[(i + 2)..close], names);
                i = close + 1;
            }
            else if (IsNameStart(next))
            {
                var end = i + 1;
                while (end < text.Length && IsNamePart(text[end]))
                {
                    end++;
                }
                names.Add(text[(i + 1)..end]);
                i = end;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>The names referenced in a text.</summary>
    public static IReadOnlySet<string> Scan(string text)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Scan(text, names);
        return names;
    }

    /// <summary>
    /// Adds the names a .env file defines (the shell's value overrides the file's, so the server
    /// needs them) and the names its unquoted or double-quoted values reference.
    /// </summary>
    public static void ScanDotEnv(string text, ISet<string> names)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? line : line[..equals]).Trim();
            if (key.Length > 0 && IsNameStart(key[0]) && key.All(IsNamePart))
            {
                names.Add(key);
            }
            if (equals < 0)
            {
                continue;
            }
            var value = line[(equals + 1)..].Trim();
            // Single-quoted values are literal in compose's .env grammar.
            if (!value.StartsWith('\''))
            {
                Scan(value, names);
            }
        }
    }

    private static void ScanBraced(string content, ISet<string> names)
    {
        var end = 0;
        while (end < content.Length && IsNamePart(content[end]))
        {
            end++;
        }
        if (end == 0 || !IsNameStart(content[0]))
        {
            return;
        }
        names.Add(content[..end]);
        var rest = content[end..];
        if (rest.StartsWith(":-", StringComparison.Ordinal) || rest.StartsWith(":?", StringComparison.Ordinal) || rest.StartsWith(":+", StringComparison.Ordinal))
        {
            Scan(rest[2..], names);
        }
        else if (rest.StartsWith('-') || rest.StartsWith('?') || rest.StartsWith('+'))
        {
            Scan(rest[1..], names);
        }
    }

    /// <summary>The index of the '}' that closes a `${` opened just before <paramref name="start"/>, counting nested `${`.</summary>
    private static int FindClosingBrace(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                i++;
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsNamePart(char c) => IsNameStart(c) || c is >= '0' and <= '9';
}
