using Gantry.Model.Api;

namespace Gantry.Console.Logs;

/// <summary>The Logs page's text filter, one rule for the rendered lines and the streamed ones: the text contains it, ignoring case.</summary>
public static class LogFilter
{
    public static bool Matches(LogLine line, string? text) =>
        string.IsNullOrEmpty(text) || line.Text.Contains(text, StringComparison.OrdinalIgnoreCase);
}
