using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Environments;

namespace Gantry.Cli.Commands;

/// <summary>`gantry env APP`: the app's environments, the app each runs as, its release and commit, and how many variables and secrets it has.</summary>
public static class EnvCommand
{
    /// <summary>`--env`, shared by the verbs that act on one environment of an app.</summary>
    public static Option<string> Option(string defaultEnvironment) => new("--env", "-e")
    {
        Description = $"Environment (default: {defaultEnvironment})",
        DefaultValueFactory = _ => defaultEnvironment,
    };

    /// <summary>The environment named, checked before anything is sent.</summary>
    public static string Check(string app, string environment) =>
        EnvironmentNames.Check(app, environment) is { } error ? throw new CliException(ExitCodes.Usage, "--env: " + error) : environment;

    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var output = SharedOptions.Output();
        var command = new Command("env", "List an app's environments (production is the app itself; others run as APP-ENV)") { app, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var views = await ListAsync(api, name, ct).ConfigureAwait(false);
                if (parse.GetValue(output) == "json")
                {
                    await context.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(views, ApiJsonContext.Default.IReadOnlyListEnvironmentView)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                TableWriter.Write(context.Out, ["ENV", "APP", "PHASE", "RELEASE", "COMMIT", "VARIABLES", "SECRETS"], views.Select(v => (IReadOnlyList<string>)
                [
                    v.Name, v.Instance, v.Phase ?? "not deployed", v.Release?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    v.Commit is { Length: > 12 } c ? c[..12] : v.Commit ?? "-",
                    v.Variables.Count.ToString(CultureInfo.InvariantCulture), v.Secrets.Count.ToString(CultureInfo.InvariantCulture),
                ]));
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static Task<IReadOnlyList<EnvironmentView>> ListAsync(Api.IGantryApi api, string app, CancellationToken ct) =>
        api.CallAsync(HttpMethod.Get, $"api/v1/apps/{Uri.EscapeDataString(app)}/environments", null, ApiJsonContext.Default.IReadOnlyListEnvironmentView, ct);

    /// <summary>One environment's view; one nothing was set in yet is empty.</summary>
    public static async Task<EnvironmentView> FindAsync(Api.IGantryApi api, string app, string environment, CancellationToken ct)
    {
        var views = await ListAsync(api, app, ct).ConfigureAwait(false);
        return views.FirstOrDefault(v => v.Name == environment) ?? new EnvironmentView(app, environment, EnvironmentNames.InstanceOf(app, environment));
    }
}
