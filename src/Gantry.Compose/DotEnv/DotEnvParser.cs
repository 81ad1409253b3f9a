using System.Text;
using Gantry.Compose.Interpolation;
using Gantry.Model.Releases;

namespace Gantry.Compose.DotEnv;

/// <summary>Parses dotenv text the way compose-go does: export prefixes, comments, single/double quotes, multi-line quoted values, `KEY: value`, and bare `KEY` inherited from the environment.</summary>
internal static class DotEnvParser
{
    /// <param name="lookup">Variables from outside the file, for `${VAR}` in values and bare `KEY` lines; null when unset.</param>
    public static DotEnvResult Parse(string text, Func<string, string?> lookup)
    {
        var values = new List<KeyValuePair<string, string>>();
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<(int, string)>();
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        string? Resolve(string name) => current.TryGetValue(name, out var v) ? v : lookup(name);

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && line[6] is ' ' or '\t')
            {
                line = line[6..].TrimStart();
            }
            var keyEnd = 0;
            while (keyEnd < line.Length && line[keyEnd] is not ('=' or ':'))
            {
                keyEnd++;
            }
            var key = line[..keyEnd].TrimEnd();
            var badChar = key.FirstOrDefault(c => !(char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '[' or ']'));
            if (badChar != default)
            {
                errors.Add((lineNumber, badChar is ' ' or '\t'
                    ? $"invalid line {Shown(lines[i].Trim())}: a variable name cannot contain a space; write NAME=value"
                    : $"unexpected character '{badChar}' in variable name {Shown(key)}; names use letters, digits, '_', '.' and '-'"));
                continue;
            }
            if (keyEnd >= line.Length)
            {
                // A bare KEY takes its value from the environment, and is skipped when unset there.
                var inherited = lookup(key);
                if (inherited is not null)
                {
                    Set(key, inherited);
                }
                continue;
            }
            var rest = line[(keyEnd + 1)..].TrimStart(' ', '\t');
            if (rest.Length > 0 && rest[0] is '"' or '\'')
            {
                var quote = rest[0];
                var body = new StringBuilder();
                var closed = false;
                var startLine = lineNumber;
                var segment = rest[1..];
                while (true)
                {
                    var end = FindClosingQuote(segment, quote);
                    if (end >= 0)
                    {
                        body.Append(segment, 0, end);
                        closed = true;
                        break;
                    }
                    body.Append(segment);
                    if (i + 1 >= lines.Length)
                    {
                        break;
                    }
                    body.Append('\n');
                    i++;
                    segment = lines[i];
                }
                if (!closed)
                {
                    errors.Add((startLine, $"unterminated quoted value for {Shown(key)}: add the closing {quote}"));
                    continue;
                }
                var raw = body.ToString();
                if (quote == '\'')
                {
                    Set(key, raw);
                }
                else
                {
                    Expand(key, Unescape(raw), startLine);
                }
                continue;
            }
            var hash = IndexOfComment(rest);
            var unquoted = (hash >= 0 ? rest[..hash] : rest).TrimEnd();
            Expand(key, EscapeLoneDollars(unquoted), lineNumber);
        }
        return new DotEnvResult(values, errors);

        void Set(string key, string value)
        {
            current[key] = value;
            values.RemoveAll(v => v.Key == key);
            values.Add(new(key, value));
        }

        void Expand(string key, string value, int lineNumber)
        {
            var outcome = Interpolator.Interpolate(value, Resolve, hideInput: SecretValues.LooksSecret(key, value));
            if (outcome.Error is not null)
            {
                errors.Add((lineNumber, $"{Shown(key)}: {outcome.Error}"));
                return;
            }
            Set(key, outcome.Value!);
        }
    }

    // A malformed line may be no dotenv at all (a key file named as an env_file): quote it only when it is
    // short and looks like neither a credential nor key material, so an error never carries a secret.
    private static string Shown(string text) =>
        text.Length <= 60 && !SecretValues.IsSecretValue(text) && !text.Contains("PRIVATE", StringComparison.OrdinalIgnoreCase)
            ? $"'{text}'"
            : "(not shown: it may hold a secret)";

    private static int FindClosingQuote(string segment, char quote)
    {
        for (var j = 0; j < segment.Length; j++)
        {
            if (segment[j] == quote && (j == 0 || segment[j - 1] != '\\'))
            {
                return j;
            }
        }
        return -1;
    }

    private static int IndexOfComment(string value)
    {
        for (var j = 0; j < value.Length; j++)
        {
            if (value[j] == '#' && (j == 0 || value[j - 1] is ' ' or '\t'))
            {
                return j;
            }
        }
        return -1;
    }

    private static string EscapeLoneDollars(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var j = 0; j < raw.Length; j++)
        {
            var lone = raw[j] == '$' && (j + 1 >= raw.Length || !(raw[j + 1] == '{' || raw[j + 1] == '_' || char.IsAsciiLetter(raw[j + 1])));
            sb.Append(lone ? "$$" : raw[j].ToString());
        }
        return sb.ToString();
    }

    // Double-quoted escapes: \n and \r become line breaks, \$ stays a literal dollar (as $$ for the interpolator), \X becomes X.
    private static string Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var j = 0; j < raw.Length; j++)
        {
            var c = raw[j];
            if (c == '$' && (j + 1 >= raw.Length || !(raw[j + 1] == '{' || raw[j + 1] == '_' || char.IsAsciiLetter(raw[j + 1]))))
            {
                sb.Append("$$");
                continue;
            }
            if (c != '\\' || j + 1 >= raw.Length)
            {
                sb.Append(c);
                continue;
            }
            var next = raw[++j];
            sb.Append(next switch
            {
                'n' => "\n",
                'r' => "\r",
                '$' => "$$",
                _ => next.ToString(),
            });
        }
        return sb.ToString();
    }
}
