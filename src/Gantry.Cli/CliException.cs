using Gantry.Model.Api;

namespace Gantry.Cli;

/// <summary>
/// The one error the verbs throw: an exit code and a single human line, plus located diagnostics
/// when the problem is in the user's files. The entry point prints it; nothing prints a stack trace.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException(int exitCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this(ExitCodes.Failed, "failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Failed, message)
    {
    }

    public CliException(string message, Exception innerException)
        : this(ExitCodes.Failed, message, innerException)
    {
    }

    public int ExitCode { get; }

    /// <summary>Located problems in the user's files (from a 422), printed one per line after the message.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
}
