using Gantry.Cli.Api;
using Gantry.Cli.Config;
using Gantry.Cli.Output;

namespace Gantry.Cli;

/// <summary>
/// Everything a verb needs from the outside world (writers, environment, clock, terminal, API
/// factory), so tests run the real verbs against a test server with captured output.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Standard input, where passwords and `--token-file -` are read from.</summary>
    public TextReader In { get; init; } = System.Console.In;

    /// <summary>True when standard input is a terminal a person types into, so a prompt is worth printing.</summary>
    public bool InteractiveInput { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Terminal Terminal { get; init; } = Terminal.Plain;

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How often waiting verbs poll the app; tests shorten it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public Func<ApiConnection, IGantryApi> CreateApi { get; init; } = connection => new GantryApiClient(connection);

    /// <summary>The context of the real process: console writers, real environment, terminal detection.</summary>
    public static CliContext FromConsole() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        InteractiveInput = !System.Console.IsInputRedirected,
        Terminal = Terminal.Detect(Environment.GetEnvironmentVariable),
    };

    public string ConfigPath => ConfigFile.DefaultPath(GetEnvironmentVariable);

    /// <summary>The server and token every verb but login uses (see <see cref="ConnectionResolver"/> for the precedence).</summary>
    public ApiConnection ResolveConnection(string? serverOption) =>
        ConnectionResolver.Resolve(serverOption, GetEnvironmentVariable, ConfigFile.Load(ConfigPath));
}
