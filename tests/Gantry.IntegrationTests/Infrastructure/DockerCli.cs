using System.Diagnostics;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>Runs the real docker client (a real registry client) with its own config directory.</summary>
public sealed class DockerCli : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "gantry-it-docker-" + Guid.NewGuid().ToString("N")[..8]);

    public DockerCli() => Directory.CreateDirectory(_config);

    public async Task<(int Code, string Output)> RunAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.Environment["DOCKER_CONFIG"] = _config;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_config, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
