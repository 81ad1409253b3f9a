namespace Gantry.Cli.Output;

/// <summary>For terminals: keeps the status block at the bottom and redraws it in place with ANSI cursor moves.</summary>
public sealed class RedrawProgressView(TextWriter writer, int width = 0) : IProgressView
{
    private const string ClearLine = "\u001b[2K";
    private IReadOnlyList<KeyValuePair<string, string>> _lines = [];
    private int _drawn;

    public void Update(IReadOnlyList<KeyValuePair<string, string>> lines)
    {
        // Polls repeat the same block most of the time; rewriting it would only make the terminal flicker.
        if (lines.SequenceEqual(_lines))
        {
            return;
        }
        _lines = lines;
        Redraw(null);
    }

    public void Message(string line) => Redraw(line);

    private void Redraw(string? message)
    {
        if (_drawn > 0)
        {
            writer.Write($"\u001b[{_drawn}A\r");
        }
        if (message is not null)
        {
            writer.Write(ClearLine);
            writer.WriteLine(message);
        }
        foreach (var (_, text) in _lines)
        {
            writer.Write(ClearLine);
            writer.WriteLine(width > 1 && text.Length >= width ? text[..(width - 1)] : text);
        }
        // Clear lines left over from a taller previous block (a service that went away).
        var leftover = _drawn - _lines.Count - (message is null ? 0 : 1);
        for (var i = 0; i < leftover; i++)
        {
            writer.Write(ClearLine);
            writer.WriteLine();
        }
        if (leftover > 0)
        {
            writer.Write($"\u001b[{leftover}A");
        }
        _drawn = _lines.Count;
        writer.Flush();
    }
}
