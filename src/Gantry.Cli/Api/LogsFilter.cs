namespace Gantry.Cli.Api;

/// <summary>
/// What `gantry logs` narrows the server's kept lines to, sent as written (the server reads durations against its own
/// clock): a release, a window (`since`/`until`: a duration back from now or an RFC 3339 time) and a text to look for.
/// </summary>
public sealed record LogsFilter(int? Release = null, string? Since = null, string? Until = null, string? Grep = null)
{
    public static LogsFilter None { get; } = new();
}
