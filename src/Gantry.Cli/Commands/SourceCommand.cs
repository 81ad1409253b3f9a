using System.CommandLine;
using System.Text.Json.Nodes;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry source APP` shows the external repository an app follows; `gantry source set APP URL [--branch B] [--team T]
/// [--env E]` sets it, the webhook's secret read from standard input (never the command line). Admins only
/// (docs/decisions/0027). A URL's credentials (https://user:token@...) are sealed by the server and never shown again.
/// </summary>
public static class SourceCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var command = new Command("source", "The external repository an app follows (push webhooks from GitHub, GitLab or Gitea)") { app };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                await context.Out.WriteAsync(await api.CallTextAsync(HttpMethod.Get, $"api/v1/apps/{IdentityJson.Path(name)}/source", null, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var setApp = SharedOptions.App();
        var url = new Argument<string>("URL") { Description = "The clone URL (https://..., ssh://..., or a path on the server); https://USER:TOKEN@... for a private repository" };
        var branch = new Option<string>("--branch", "-b") { Description = "The branch whose pushes deploy", DefaultValueFactory = _ => "main" };
        var team = new Option<string?>("--team") { Description = "The team the app belongs to (default: the default team)" };
        var env = new Option<string?>("--env", "-e") { Description = "The environment deploys go to (default: the push environment)" };
        var set = new Command("set", "Follow a repository; the webhook's secret is read from standard input") { setApp, url, branch, team, env };
        set.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(setApp));
            if (context.InteractiveInput)
            {
                await context.Error.WriteAsync("webhook secret, at least 16 characters (end with Ctrl-D): ").ConfigureAwait(false);
            }
            var secret = SecretsCommand.StripOneNewline(await context.In.ReadToEndAsync(ct).ConfigureAwait(false));
            if (secret.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, $"no webhook secret on standard input: pipe it in (e.g. openssl rand -hex 20 | tee secret.txt | gantry source set {name} URL)");
            }
            var body = new JsonObject
            {
                ["url"] = parse.GetRequiredValue(url),
                ["branch"] = parse.GetRequiredValue(branch),
                ["secret"] = secret,
            };
            if (parse.GetValue(team) is { } teamName)
            {
                body["team"] = teamName;
            }
            if (parse.GetValue(env) is { } environment)
            {
                body["environment"] = environment;
            }
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
                await context.Out.WriteAsync(await api.CallTextAsync(HttpMethod.Put, $"api/v1/apps/{IdentityJson.Path(name)}/source", content, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        command.Add(set);
        return command;
    }
}
