using Gantry.Cli.Output;

namespace Gantry.Cli.Tests.Support;

/// <summary>Runs the real `gantry` entry point in-process with captured output, a private environment and temp directories.</summary>
public sealed class CliHarness : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public CliHarness(string? server = null, string? token = "test-token")
    {
        Root = Directory.CreateTempSubdirectory("gantry-cli-test-").FullName;
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(Root, "project")).FullName;
        Environment["XDG_CONFIG_HOME"] = Path.Combine(Root, "config");
        Environment["HOME"] = Path.Combine(Root, "home");
        if (server is not null)
        {
            Environment["GANTRY_SERVER"] = server;
        }
        if (token is not null)
        {
            Environment["GANTRY_TOKEN"] = token;
        }
    }

    public string Root { get; }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public Terminal Terminal { get; set; } = Terminal.Plain;

    /// <summary>What the command reads from standard input.</summary>
    public string Input { get; init; } = "";

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    public CliContext Context => new()
    {
        In = new StringReader(Input),
        Out = _out,
        Error = _error,
        GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
        WorkingDirectory = WorkingDirectory,
        Terminal = Terminal,
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    public async Task<int> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Program.RunAsync(args, Context, timeout.Token);
    }

    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
