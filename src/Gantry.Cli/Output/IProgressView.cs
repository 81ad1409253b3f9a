namespace Gantry.Cli.Output;

/// <summary>Shows a block of keyed status lines that change over time, plus one-off messages (warnings) above it.</summary>
public interface IProgressView
{
    /// <summary>Shows the current lines; a line is identified by its key (a service name).</summary>
    void Update(IReadOnlyList<KeyValuePair<string, string>> lines);

    /// <summary>Prints a line that stays (a warning event) without losing the status block.</summary>
    void Message(string line);

    public static IProgressView Create(TextWriter writer, Terminal terminal) =>
        terminal.IsInteractive ? new RedrawProgressView(writer, terminal.Width) : new LineProgressView(writer);
}
