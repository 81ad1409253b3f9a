namespace Gantry.Cli.Output;

/// <summary>For pipes and CI logs: prints a line only when that key's text changed, never rewrites anything.</summary>
public sealed class LineProgressView(TextWriter writer) : IProgressView
{
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public void Update(IReadOnlyList<KeyValuePair<string, string>> lines)
    {
        foreach (var (key, text) in lines)
        {
            if (!_last.TryGetValue(key, out var previous) || previous != text)
            {
                _last[key] = text;
                writer.WriteLine(text);
            }
        }
        writer.Flush();
    }

    public void Message(string line)
    {
        writer.WriteLine(line);
        writer.Flush();
    }
}
