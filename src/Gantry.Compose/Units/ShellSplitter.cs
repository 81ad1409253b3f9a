using System.Text;

namespace Gantry.Compose.Units;

/// <summary>Splits a command string into words the way compose does (POSIX shell quoting: single quotes, double quotes, backslash escapes; no expansion).</summary>
internal static class ShellSplitter
{
    /// <summary>Returns the words, or null with an error when a quote is not closed.</summary>
    public static IReadOnlyList<string>? Split(string text, out string? error)
    {
        error = null;
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            switch (c)
            {
                case '\\':
                    if (i + 1 < text.Length)
                    {
                        i++;
                        if (text[i] != '\n')
                        {
                            word.Append(text[i]);
                        }
                    }
                    break;
                case '\'':
                {
                    var end = text.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        error = $"unterminated single quote in \"{text}\"";
                        return null;
                    }
                    word.Append(text, i + 1, end - i - 1);
                    i = end;
                    break;
                }
                case '"':
                {
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                        {
                            i++;
                        }
                        word.Append(text[i]);
                        i++;
                    }
                    if (i >= text.Length)
                    {
                        error = $"unterminated double quote in \"{text}\"";
                        return null;
                    }
                    break;
                }
                default:
                    word.Append(c);
                    break;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
