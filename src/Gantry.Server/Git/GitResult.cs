namespace Gantry.Server.Git;

/// <summary>How a git run ended.</summary>
public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
