using System.Diagnostics;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>Runs `gantry` verbs against the bench's own server (token and config isolated in the work directory).</summary>
public sealed class GantryCli(string binary, string workDirectory, Func<Uri> server, Func<string> token)
{
    private readonly string _log = Path.Combine(workDirectory, "cli.log");

    public async Task<CliResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["GANTRY_SERVER"] = server().ToString();
        info.Environment["GANTRY_TOKEN"] = token();
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(workDirectory, "config");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        watch.Stop();
        await File.AppendAllTextAsync(_log, $"$ gantry {string.Join(' ', args)}\n{output}[exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:0.0} s]\n\n", ct).ConfigureAwait(false);
        return new CliResult(process.ExitCode, output, watch.Elapsed);
    }
}
