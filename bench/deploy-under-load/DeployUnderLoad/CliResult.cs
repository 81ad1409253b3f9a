namespace Gantry.Bench.DeployUnderLoad;

/// <summary>How one `gantry` CLI invocation ended: exit code, its output, and how long it took.</summary>
public sealed record CliResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>True when the CLI does not know the verb (System.CommandLine's usage error), e.g. before `rollback` exists.</summary>
    public bool UnknownVerb(string verb) =>
        ExitCode == 2 && Output.Contains($"Unrecognized command or argument '{verb}'", StringComparison.Ordinal);

    /// <summary>The last non-empty output line, for one-line progress.</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    /// <summary>The first output line containing <paramref name="text"/>, or null.</summary>
    public string? Line(string text) =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
}
