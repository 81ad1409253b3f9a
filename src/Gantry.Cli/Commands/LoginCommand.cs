using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Config;

namespace Gantry.Cli.Commands;

/// <summary>`gantry login`: checks a token against the server, then saves server and token (0600) for every later verb.</summary>
public static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var token = new Option<string?>("--token") { Description = "API token (visible in the process list; prefer --token-file)" };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the token from this file ('-' for standard input)" };
        var user = new Option<string?>("--user", "-u") { Description = "Sign in as this user; the password is read from standard input and exchanged for a 30-day token" };
        var command = new Command("login", "Sign in to a Gantry server (a token, or a user and password) and save it for later commands") { token, tokenFile, user };
        command.SetAction(async (parse, ct) =>
        {
            var saved = ConfigFile.Load(context.ConfigPath);
            var resolved = ConnectionResolver.Resolve(parse.GetValue(SharedOptions.Server), context.GetEnvironmentVariable, saved);
            if (parse.GetValue(user) is { } name)
            {
                if (parse.GetValue(token) is not null || parse.GetValue(tokenFile) is not null)
                {
                    throw new CliException(ExitCodes.Usage, "pass either --user (and the password on standard input) or a token, not both");
                }
                var password = await Secrets.ReadLineAsync("password", ct).ConfigureAwait(false);
                var anonymous = context.CreateApi(resolved with { Token = null });
                Gantry.Model.Api.Identity.TokenCreated created;
                try
                {
                    created = await anonymous.CallAsync(HttpMethod.Post, "api/v1/login",
                        IdentityJson.Body(new Gantry.Model.Api.Identity.LoginRequest(name, password), Gantry.Model.Api.ApiJsonContext.Default.LoginRequest),
                        Gantry.Model.Api.ApiJsonContext.Default.TokenCreated, ct).ConfigureAwait(false);
                }
                finally
                {
                    SharedOptions.Release(anonymous);
                }
                var signedIn = resolved with { Token = created.Secret };
                var userApi = context.CreateApi(signedIn);
                try
                {
                    return await RunAsync(userApi, signedIn, context, ct).ConfigureAwait(false);
                }
                finally
                {
                    SharedOptions.Release(userApi);
                }
            }
            var secret = await ReadTokenAsync(context, parse.GetValue(token), parse.GetValue(tokenFile), ct).ConfigureAwait(false);
            var connection = resolved with { Token = secret };
            var api = context.CreateApi(connection);
            try
            {
                return await RunAsync(api, connection, context, ct).ConfigureAwait(false);
            }
            finally
            {
                SharedOptions.Release(api);
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, ApiConnection connection, CliContext context, CancellationToken cancellationToken)
    {
        var apps = await api.ListAppsAsync(cancellationToken).ConfigureAwait(false);
        var path = context.ConfigPath;
        ConfigFile.Save(path, new CliConfig(connection.Display, connection.Token!));
        await context.Out.WriteLineAsync($"logged in to {connection.Display} ({apps.Count} app{(apps.Count == 1 ? "" : "s")}); saved to {path}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<string> ReadTokenAsync(CliContext context, string? token, string? tokenFile, CancellationToken cancellationToken)
    {
        if (token is not null && tokenFile is not null)
        {
            throw new CliException(ExitCodes.Usage, "pass either --token or --token-file, not both");
        }
        string? value = token;
        if (tokenFile == "-")
        {
            value = await System.Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (tokenFile is not null)
        {
            var path = Path.GetFullPath(tokenFile, context.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.InvalidInput, $"--token-file {tokenFile}: no such file");
            }
            value = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        value ??= context.GetEnvironmentVariable("GANTRY_TOKEN");
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new CliException(ExitCodes.Usage, "no token given; pass --token TOKEN or --token-file PATH (or set GANTRY_TOKEN)");
        }
        return value;
    }
}
