using System.Text;

namespace Gantry.Compose.Interpolation;

/// <summary>Compose variable interpolation: ${VAR}, $VAR, the :- - :? ? :+ + modifiers with nested defaults, and $$ escaping.</summary>
internal static class Interpolator
{
    /// <summary>Result of interpolating one string: the value, or an error message to report at the scalar.</summary>
    public readonly record struct Outcome(string? Value, string? Error);

    /// <param name="lookup">Returns the variable's value or null when unset; every name passed here counts as referenced.</param>
    /// <param name="unset">Told about each bare ${VAR} or $VAR that had no value and became empty, so callers can warn as compose does.</param>
    /// <param name="hideInput">True when the input looks secret: an error then names the problem without quoting the value.</param>
    public static Outcome Interpolate(string input, Func<string, string?> lookup, Action<string>? unset = null, bool hideInput = false)
    {
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return new(input, null);
        }
        var output = new StringBuilder(input.Length);
        var pos = 0;
        var error = Substitute(input, ref pos, output, lookup, stopAtBrace: false, unset);
        if (error is not null && hideInput)
        {
            // Every format error quotes the whole input as "input"; the pieces it also quotes are variable names.
            error = error.Replace($"\"{input}\"", "a value not shown because it looks secret", StringComparison.Ordinal);
        }
        return error is null ? new(output.ToString(), null) : new(null, error);
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    // Reads text up to the end (or an unmatched '}' when stopAtBrace) substituting variables.
    private static string? Substitute(string s, ref int pos, StringBuilder output, Func<string, string?> lookup, bool stopAtBrace, Action<string>? unset)
    {
        var depth = 0;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (stopAtBrace && c == '}' && depth == 0)
            {
                return null;
            }
            if (c != '$')
            {
                if (stopAtBrace && c == '{')
                {
                    depth++;
                }
                else if (stopAtBrace && c == '}')
                {
                    depth--;
                }
                output.Append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= s.Length)
            {
                return $"invalid interpolation format in \"{s}\": a lone '$' at the end; write '$$' for a literal '$'";
            }
            var next = s[pos + 1];
            if (next == '$')
            {
                output.Append('$');
                pos += 2;
                continue;
            }
            if (IsNameStart(next))
            {
                var start = pos + 1;
                var end = start;
                while (end < s.Length && IsNameChar(s[end]))
                {
                    end++;
                }
                output.Append(Bare(s[start..end], lookup, unset));
                pos = end;
                continue;
            }
            if (next != '{')
            {
                return $"invalid interpolation format in \"{s}\": '${next}' is not a variable; write '$$' for a literal '$'";
            }
            pos += 2;
            var error = Braced(s, ref pos, output, lookup, unset);
            if (error is not null)
            {
                return error;
            }
        }
        return stopAtBrace ? $"invalid interpolation format in \"{s}\": missing closing '}}'" : null;
    }

    private static string Bare(string name, Func<string, string?> lookup, Action<string>? unset)
    {
        var value = lookup(name);
        if (value is null)
        {
            unset?.Invoke(name);
        }
        return value ?? "";
    }

    private static string? Braced(string s, ref int pos, StringBuilder output, Func<string, string?> lookup, Action<string>? unset)
    {
        var start = pos;
        if (pos >= s.Length || !IsNameStart(s[pos]))
        {
            return $"invalid interpolation format in \"{s}\": '${{' must be followed by a variable name such as ${{NAME}}";
        }
        while (pos < s.Length && IsNameChar(s[pos]))
        {
            pos++;
        }
        var name = s[start..pos];
        if (pos >= s.Length)
        {
            return $"invalid interpolation format in \"{s}\": missing closing '}}' after '${{{name}'";
        }
        if (s[pos] == '}')
        {
            pos++;
            output.Append(Bare(name, lookup, unset));
            return null;
        }
        var colon = s[pos] == ':';
        if (colon)
        {
            pos++;
        }
        if (pos >= s.Length || s[pos] is not ('-' or '?' or '+'))
        {
            return $"invalid interpolation format in \"{s}\": unexpected character after '${{{name}'; use one of ${{{name}:-default}}, ${{{name}-default}}, ${{{name}:?error}}, ${{{name}?error}}, ${{{name}:+alt}}, ${{{name}+alt}}";
        }
        var op = s[pos];
        pos++;

        // The word is itself interpolated (nested defaults such as ${A:-${B:-x}}).
        var value = lookup(name);
        var wordBuilder = new StringBuilder();
        var wordError = Substitute(s, ref pos, wordBuilder, lookup, stopAtBrace: true, unset);
        if (wordError is not null)
        {
            return wordError;
        }
        pos++; // the closing brace
        var word = wordBuilder.ToString();
        var missing = value is null || (colon && value.Length == 0);
        switch (op)
        {
            case '-':
                output.Append(missing ? word : value);
                return null;
            case '+':
                output.Append(missing ? "" : word);
                return null;
            default:
                if (missing)
                {
                    var reason = word.Length > 0 ? word : colon ? "is unset or empty" : "is unset";
                    return $"required variable {name} is missing a value: {reason}";
                }
                output.Append(value);
                return null;
        }
    }
}
