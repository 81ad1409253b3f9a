using System.Diagnostics;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>
/// A long-running `gantry server` or `gantry router` the bench started, logging to a file; its pid is
/// written next to the log so run.sh can kill it if the bench itself dies.
/// </summary>
public sealed class GantryProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _pidFile;

    private GantryProcess(Process process, string pidFile, string logFile)
    {
        _process = process;
        _pidFile = pidFile;
        LogFile = logFile;
    }

    public int Pid => _process.Id;

    public string LogFile { get; }

    public bool Running => !_process.HasExited;

    /// <summary>Starts <paramref name="binary"/> with <paramref name="args"/>, appending its output to NAME.log in <paramref name="workDirectory"/>.</summary>
    public static GantryProcess Start(string name, string binary, IReadOnlyList<string> args, string workDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var log = Path.Combine(workDirectory, name + ".log");
        // sh only redirects, then execs: the pid is gantry's own, so a SIGTERM reaches it directly.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$GANTRY_BENCH_LOG\" 2>&1 </dev/null");
        info.ArgumentList.Add(binary);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["GANTRY_BENCH_LOG"] = log;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary} {name}");
        var pidFile = Path.Combine(workDirectory, name + ".pid");
        File.WriteAllText(pidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new GantryProcess(process, pidFile, log);
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; SIGKILL after <paramref name="grace"/>. True when it exited on SIGTERM.</summary>
    public async Task<bool> TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            File.Delete(_pidFile);
            return true;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        using var wait = new CancellationTokenSource(grace);
        var graceful = true;
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            graceful = false;
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        File.Delete(_pidFile);
        return graceful;
    }

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string Tail(int lines = 15) =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    public void Dispose() => _process.Dispose();
}
