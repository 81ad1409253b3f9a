using System.Diagnostics;
using System.Text;

namespace Gantry.Server.Git;

/// <summary>
/// Starts Debian's git with an argument list and a clean environment: nothing of the server's own environment reaches git or
/// a hook except what is named here, and no user or system git configuration applies (the server's repositories behave
/// the same on every host).
/// </summary>
public static class GitProcess
{
    public const string Executable = "git";

    /// <summary>The environment every git the server runs starts from.</summary>
    public static Dictionary<string, string> BaseEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["LANG"] = "C.UTF-8",
        };
        // The hook runs the gantry executable: a framework-dependent install finds its runtime through these.
        foreach (var name in new[] { "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                env[name] = value;
            }
        }
        return env;
    }

    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new IOException("could not start git");
    }

    /// <summary>Runs git to the end; its output is small (refs, a commit's header), bounded to 1 MiB each.</summary>
    public static async Task<GitResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default)
    {
        using var process = Start(arguments, environment ?? BaseEnvironment());
        var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, ct);
        var stderr = ReadBoundedAsync(process.StandardError.BaseStream, ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new GitResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static async Task<string> ReadBoundedAsync(Stream stream, CancellationToken ct)
    {
        const int Limit = 1 << 20;
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length < Limit)
            {
                buffer.Write(chunk, 0, (int)Math.Min(read, Limit - buffer.Length));
            }
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
