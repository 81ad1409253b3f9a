using System.CommandLine;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry vars APP --env E` lists an environment's variables (secret-looking values masked), `vars set APP --env E K=V...`,
/// `vars unset APP --env E K...`. The compose files are interpolated with them on the environment's next deploy.
/// </summary>
public static class VarsCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var env = EnvCommand.Option("production");
        var command = new Command("vars", "An environment's variables (used to interpolate the compose files on its next deploy)") { app, env };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(env));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var view = await EnvCommand.FindAsync(api, name, environment, ct).ConfigureAwait(false);
                TableWriter.Write(context.Out, ["NAME", "VALUE"], view.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (IReadOnlyList<string>)[v.Key, v.Value]));
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var setApp = SharedOptions.App();
        var setEnv = EnvCommand.Option("production");
        var pairs = new Argument<string[]>("KEY=VALUE") { Description = "Variables to set", Arity = ArgumentArity.OneOrMore };
        var set = new Command("set", "Set variables of an environment") { setApp, setEnv, pairs };
        set.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(setApp));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(setEnv));
            var change = new VariablesChange { Set = ParsePairs(parse.GetValue(pairs) ?? []) };
            return await ChangeAsync(context, parse, name, environment, change, $"set {string.Join(", ", change.Set.Keys)}", ct).ConfigureAwait(false);
        });

        var unsetApp = SharedOptions.App();
        var unsetEnv = EnvCommand.Option("production");
        var keys = new Argument<string[]>("KEY") { Description = "Variables to remove", Arity = ArgumentArity.OneOrMore };
        var unset = new Command("unset", "Remove variables from an environment") { unsetApp, unsetEnv, keys };
        unset.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(unsetApp));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(unsetEnv));
            var change = new VariablesChange { Unset = parse.GetValue(keys) ?? [] };
            return await ChangeAsync(context, parse, name, environment, change, $"removed {string.Join(", ", change.Unset)}", ct).ConfigureAwait(false);
        });
        command.Add(set);
        command.Add(unset);
        return command;
    }

    /// <summary>`KEY=VALUE` pairs (the value may contain '=' and be empty); a pair without '=' is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"'{pair}' is not KEY=VALUE; write e.g. LOG_LEVEL=debug (secrets go through 'gantry secrets set', which reads standard input)");
            }
            if (!result.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                throw new CliException(ExitCodes.Usage, $"variable '{pair[..equals]}' is given twice");
            }
        }
        return result;
    }

    private static Task<int> ChangeAsync(CliContext context, ParseResult parse, string app, string environment, VariablesChange change, string what, CancellationToken ct) =>
        SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var view = await api.CallAsync(HttpMethod.Patch, $"api/v1/apps/{IdentityJson.Path(app)}/environments/{IdentityJson.Path(environment)}/variables",
                IdentityJson.Body(change, ApiJsonContext.Default.VariablesChange), ApiJsonContext.Default.EnvironmentView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"{environment} of {app} ({view.Instance}): {what}; the next deploy to {environment} uses them").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
}
