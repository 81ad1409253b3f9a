using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry secrets APP --env E` lists names and versions (never values), `secrets set APP --env E NAME` reads the value from
/// standard input (never the command line), `secrets unset APP --env E NAME`. A compose file uses one as `external: true`.
/// </summary>
public static class SecretsCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var env = EnvCommand.Option("production");
        var command = new Command("secrets", "An environment's secrets: names and versions (values are never shown)") { app, env };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(env));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var view = await EnvCommand.FindAsync(api, name, environment, ct).ConfigureAwait(false);
                TableWriter.Write(context.Out, ["NAME", "VERSION", "UPDATED", "BY"], view.Secrets.Select(s => (IReadOnlyList<string>)
                    [s.Name, "v" + s.Version.ToString(CultureInfo.InvariantCulture), IdentityJson.Time(s.UpdatedAt), s.UpdatedBy]));
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var setApp = SharedOptions.App();
        var setEnv = EnvCommand.Option("production");
        var setName = new Argument<string>("NAME") { Description = "Secret name (as under secrets: in the compose file, with external: true)" };
        var set = new Command("set", "Set a secret's new version; the value is read from standard input") { setApp, setEnv, setName };
        set.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(setApp));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(setEnv));
            var secret = parse.GetRequiredValue(setName);
            if (context.InteractiveInput)
            {
                await context.Error.WriteAsync($"value of {secret} (end with Ctrl-D): ").ConfigureAwait(false);
            }
            var value = StripOneNewline(await context.In.ReadToEndAsync(ct).ConfigureAwait(false));
            if (value.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, $"no value for {secret} on standard input: pipe it in (e.g. printf %s \"$VALUE\" | gantry secrets set {name} --env {environment} {secret})");
            }
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                using var body = new StringContent(value, System.Text.Encoding.UTF8, "text/plain");
                var result = await api.CallAsync(HttpMethod.Put, $"api/v1/apps/{IdentityJson.Path(name)}/environments/{IdentityJson.Path(environment)}/secrets/{IdentityJson.Path(secret)}",
                    body, ApiJsonContext.Default.SecretSetResponse, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"{environment} of {name}: secret {result.Name} is now v{result.Version}; the next deploy to {environment} mounts it").ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var unsetApp = SharedOptions.App();
        var unsetEnv = EnvCommand.Option("production");
        var unsetName = new Argument<string>("NAME") { Description = "Secret name" };
        var unset = new Command("unset", "Remove a secret and all its versions") { unsetApp, unsetEnv, unsetName };
        unset.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(unsetApp));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(unsetEnv));
            var secret = parse.GetRequiredValue(unsetName);
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                await api.CallAsync(HttpMethod.Delete, $"api/v1/apps/{IdentityJson.Path(name)}/environments/{IdentityJson.Path(environment)}/secrets/{IdentityJson.Path(secret)}",
                    null, ApiJsonContext.Default.SecretSetResponse, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"{environment} of {name}: secret {secret} removed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        command.Add(set);
        command.Add(unset);
        return command;
    }

    /// <summary>`echo VALUE |` adds a newline the user did not mean as part of the value: one trailing newline is dropped.</summary>
    public static string StripOneNewline(string value) =>
        value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
}
