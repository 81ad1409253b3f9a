namespace Gantry.Cli.Output;

/// <summary>Writes rows as plain-text columns aligned on the widest cell, three spaces apart (no borders, grep-friendly).</summary>
public static class TableWriter
{
    private const string Gap = "   ";

    public static void Write(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var c = 0; c < widths.Length && c < row.Count; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        foreach (var row in all)
        {
            var line = new System.Text.StringBuilder();
            for (var c = 0; c < widths.Length; c++)
            {
                var cell = c < row.Count ? row[c] : "";
                if (c > 0)
                {
                    line.Append(Gap);
                }
                // The last column is not padded so lines carry no trailing spaces.
                line.Append(c == widths.Length - 1 ? cell : cell.PadRight(widths[c]));
            }
            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
