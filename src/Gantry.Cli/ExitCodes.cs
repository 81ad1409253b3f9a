namespace Gantry.Cli;

/// <summary>The process exit codes of every verb, stable so scripts and CI can branch on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed or timed out (the server said so, or the rollout never converged).</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown verb, missing argument, bad syntax).</summary>
    public const int Usage = 2;

    public const int NotFound = 3;

    /// <summary>No token, or the server rejected it (401/403).</summary>
    public const int Unauthorized = 4;

    /// <summary>The server could not be reached at all (connection refused, unknown host, timeout).</summary>
    public const int Unreachable = 5;

    /// <summary>The deploy was refused (409) or the app reached phase Failed.</summary>
    public const int DeployFailed = 6;

    /// <summary>The user's files or values are invalid (422 diagnostics, a file outside the bundle root).</summary>
    public const int InvalidInput = 7;
}
