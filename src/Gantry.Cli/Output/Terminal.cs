namespace Gantry.Cli.Output;

/// <summary>
/// What the output is connected to: a terminal gets in-place redraws and colours (unless NO_COLOR
/// is set); a pipe or CI log gets one plain line per change.
/// </summary>
public sealed record Terminal(bool IsInteractive, bool UseColor)
{
    /// <summary>Columns of the terminal (0 when unknown); redrawn lines are cut to it so a wrapped line cannot break the redraw.</summary>
    public int Width { get; init; }

    public static Terminal Plain { get; } = new(false, false);

    public static Terminal Detect(Func<string, string?> getEnvironmentVariable)
    {
        var term = getEnvironmentVariable("TERM");
        var interactive = !System.Console.IsOutputRedirected && !string.Equals(term, "dumb", StringComparison.Ordinal);
        var color = interactive && string.IsNullOrEmpty(getEnvironmentVariable("NO_COLOR"));
        var width = 0;
        if (interactive)
        {
            try
            {
                width = System.Console.WindowWidth;
            }
            catch (IOException)
            {
                // No real console behind the handle: leave lines uncut.
            }
        }
        return new Terminal(interactive, color) { Width = width };
    }

    private static readonly int[] s_palette = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

    /// <summary>A colour index that depends only on the name (FNV-1a), so a replica keeps its colour across runs.</summary>
    public static int StableColor(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return s_palette[hash % (uint)s_palette.Length];
    }

    public string Colorize(string text, int ansiColor) => UseColor ? $"\u001b[{ansiColor}m{text}\u001b[0m" : text;
}
