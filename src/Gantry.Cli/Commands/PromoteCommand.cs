using System.CommandLine;
using Gantry.Model.Api;
using Gantry.Model.Environments;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry promote APP --from staging --to production`: the target environment runs exactly the images of the source's live
/// release (nothing rebuilt), with its own variables and secrets; then follows the rollout like a deploy.
/// </summary>
public static class PromoteCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var from = new Option<string>("--from") { Description = "Environment whose live release is promoted", DefaultValueFactory = _ => EnvironmentNames.DefaultPushEnvironment };
        var to = new Option<string>("--to") { Description = "Environment that gets it", DefaultValueFactory = _ => EnvironmentNames.Production };
        var detach = SharedOptions.Detach("Return once the server accepted the promotion");
        var timeout = SharedOptions.Timeout("How long to wait for the promoted release to run (e.g. 90s, 5m)");
        var command = new Command("promote", "Run one environment's live images in another, with that one's own variables and secrets") { app, from, to, detach, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var request = new PromoteRequest { From = EnvCommand.Check(name, parse.GetRequiredValue(from)), To = EnvCommand.Check(name, parse.GetRequiredValue(to)) };
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var response = await api.CallAsync(HttpMethod.Post, $"api/v1/apps/{IdentityJson.Path(name)}/promote",
                    IdentityJson.Body(request, ApiJsonContext.Default.PromoteRequest), ApiJsonContext.Default.DeployResponse, ct).ConfigureAwait(false);
                var target = EnvironmentNames.InstanceOf(name, request.To);
                if (!response.Changed && response.Release is null)
                {
                    await context.Out.WriteLineAsync($"{request.To} of {name} ({target}) already runs these images with these settings").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                await context.Out.WriteLineAsync($"promoting {name} from {request.From} to {request.To}: release {response.Release} of {target}").ConfigureAwait(false);
                if (parse.GetValue(detach))
                {
                    return ExitCodes.Ok;
                }
                return await DeployCommand.WaitAsync(api, context, target, response, SharedOptions.GetTimeout(parse, timeout), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }
}
