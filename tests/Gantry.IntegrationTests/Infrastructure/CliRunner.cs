using Gantry.Cli;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>Runs the real `gantry` CLI code in-process against a server, with its own config and environment.</summary>
public sealed class CliRunner(GantryServerProcess server)
{
    private readonly string _configHome = Path.Combine(Path.GetTempPath(), "gantry-it-cli-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Extra environment the CLI sees (interpolation variables for compose files).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The token the CLI presents; the admin token when null.</summary>
    public string? Token { get; init; }

    public async Task<CliResult> RunAsync(string workingDirectory, params string[] args) =>
        await RunAsync(workingDirectory, TimeSpan.FromMinutes(3), args);

    /// <summary>Runs with <paramref name="input"/> as standard input (passwords are read from there).</summary>
    public Task<CliResult> RunWithInputAsync(string input, string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, TimeSpan.FromMinutes(3), args, input);

    public Task<CliResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(workingDirectory, timeout, args, "");

    private async Task<CliResult> RunAsync(string workingDirectory, TimeSpan timeout, string[] args, string input)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            In = new StringReader(input),
            WorkingDirectory = workingDirectory,
            GetEnvironmentVariable = name => name switch
            {
                "GANTRY_SERVER" => server.Url,
                "GANTRY_TOKEN" => Token ?? server.Token,
                "XDG_CONFIG_HOME" => _configHome,
                _ => Environment.TryGetValue(name, out var value) ? value : null,
            },
        };
        using var cts = new CancellationTokenSource(timeout);
        var code = await Program.RunAsync(args, context, cts.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>What a CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
