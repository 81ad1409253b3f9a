using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;

namespace Gantry.Cli.Commands;

/// <summary>Options and helpers several verbs share, so they are spelled and parsed the same way everywhere.</summary>
public static class SharedOptions
{
    /// <summary>`--server URL`, accepted by every verb; overrides GANTRY_SERVER and the saved config.</summary>
    public static Option<string?> Server { get; } = new("--server")
    {
        Description = "Gantry server URL (default: GANTRY_SERVER, then the saved login, then http://127.0.0.1:7070)",
        Recursive = true,
    };

    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table or json (the API's JSON)",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    /// <summary>The wait limit of deploy, scale and rm when --timeout is not given.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>`--timeout DURATION` ("90s", "5m", "1h"); read it with <see cref="GetTimeout"/>.</summary>
    public static Option<TimeSpan?> Timeout(string description) => new("--timeout")
    {
        // No DefaultValueFactory: help would print the default as "00:05:00".
        Description = $"{description}; default {Humanize.Duration(DefaultTimeout)}",
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Humanize.ParseDuration(text) is { } duration && duration > TimeSpan.Zero)
            {
                return duration;
            }
            result.AddError($"--timeout '{text}' is not a duration; use e.g. 90s, 5m or 1h");
            return null;
        },
    };

    public static TimeSpan GetTimeout(ParseResult parse, Option<TimeSpan?> option) => parse.GetValue(option) ?? DefaultTimeout;

    public static Option<bool> Detach(string description) => new("--detach", "-d") { Description = description };

    public static Argument<string> App() => new("APP") { Description = "App name" };

    /// <summary>Creates the API client for this invocation's server and token.</summary>
    public static IGantryApi Connect(CliContext context, ParseResult parse) =>
        context.CreateApi(context.ResolveConnection(parse.GetValue(Server)));

    /// <summary>Validates an app name before any request, so the message names the rule.</summary>
    public static string CheckAppName(string app)
    {
        if (!Gantry.Model.Names.IsValidAppName(app))
        {
            throw new CliException(ExitCodes.Usage, $"app name '{app}' is invalid: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters");
        }
        return app;
    }

    /// <summary>Disposes the client when it owns resources (the real HTTP client does; test fakes may not).</summary>
    public static void Release(IGantryApi api) => (api as IDisposable)?.Dispose();

    /// <summary>Connects, runs one verb against the API, and releases the connection however the verb ends.</summary>
    /// <summary>A verb that takes an app name and --output: it checks the name, connects, and runs <paramref name="run"/> (app, json?).</summary>
    public static Command AppListing(CliContext context, string name, string description, Func<IGantryApi, string, bool, CancellationToken, Task<int>> run)
    {
        var app = App();
        var output = Output();
        var command = new Command(name, description) { app, output };
        command.SetAction(async (parse, ct) =>
        {
            var appName = CheckAppName(parse.GetRequiredValue(app));
            return await WithApiAsync(context, parse, api => run(api, appName, parse.GetValue(output) == "json", ct)).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> WithApiAsync(CliContext context, ParseResult parse, Func<IGantryApi, Task<int>> run)
    {
        var api = Connect(context, parse);
        try
        {
            return await run(api).ConfigureAwait(false);
        }
        finally
        {
            Release(api);
        }
    }
}
