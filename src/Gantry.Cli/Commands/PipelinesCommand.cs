using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Environments;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry pipelines APP`: the app's pushed commits, newest first, and how far each went (its build and test stage, its
/// release in each environment, the gate holding it); `gantry pipelines gate APP --env staging --to production --mode
/// auto|approval|off` sets what follows a release going live in an environment (docs/decisions/0032).
/// </summary>
public static class PipelinesCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var output = SharedOptions.Output();
        var command = new Command("pipelines", "An app's pushed commits and how far each went: build, tests, each environment, the gate") { app, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var runs = await api.CallAsync(HttpMethod.Get, $"api/v1/apps/{IdentityJson.Path(name)}/pipelines", null, ApiJsonContext.Default.IReadOnlyListPipelineRun, ct).ConfigureAwait(false);
                if (parse.GetValue(output) == "json")
                {
                    await context.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(runs, ApiJsonContext.Default.IReadOnlyListPipelineRun)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                Write(context.Out, name, runs, context.Time.GetUtcNow());
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var gateApp = SharedOptions.App();
        var env = EnvCommand.Option(EnvironmentNames.DefaultPushEnvironment);
        var to = new Option<string>("--to") { Description = "The environment its live releases go to", DefaultValueFactory = _ => EnvironmentNames.Production };
        var mode = new Option<string>("--mode")
        {
            Description = "auto: promote once live; approval: wait for 'gantry promote'; off: no gate",
            Required = true,
        };
        mode.AcceptOnlyFromAmong(PromotionGate.Auto, PromotionGate.Approval, "off");
        var gate = new Command("gate", "Set what follows a release going live in an environment: promotion, automatic or approved") { gateApp, env, to, mode };
        gate.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(gateApp));
            var environment = EnvCommand.Check(name, parse.GetRequiredValue(env));
            var chosen = parse.GetRequiredValue(mode);
            var target = EnvCommand.Check(name, parse.GetRequiredValue(to));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var path = $"api/v1/apps/{IdentityJson.Path(name)}/environments/{IdentityJson.Path(environment)}/gate";
                var view = chosen == "off"
                    ? await api.CallAsync(HttpMethod.Delete, path, null, ApiJsonContext.Default.EnvironmentView, ct).ConfigureAwait(false)
                    : await api.CallAsync(HttpMethod.Put, path, IdentityJson.Body(new GateRequest { To = target, Mode = chosen }, ApiJsonContext.Default.GateRequest),
                        ApiJsonContext.Default.EnvironmentView, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync(view.Gate switch
                {
                    null => $"{environment} of {name}: no gate (promote by hand with 'gantry promote {name} --from {environment} --to ...')",
                    { Mode: PromotionGate.Auto } g => $"{environment} of {name}: each release that goes live is promoted to {g.To} automatically",
                    { } g => $"{environment} of {name}: each release that goes live waits for approval to {g.To} ('gantry promote {name} --from {environment} --to {g.To}')",
                }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        command.Add(gate);
        return command;
    }

    /// <summary>One row per commit; one column per environment any of them reached, in pipeline order.</summary>
    public static void Write(TextWriter writer, string app, IReadOnlyList<PipelineRun> runs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            writer.WriteLine($"no pushes to {app} yet: git push it to http://SERVER/git/{app}.git");
            return;
        }
        var environments = new List<string>();
        foreach (var stage in runs.SelectMany(r => r.Stages).Select(s => s.Environment).Concat(runs.Select(r => r.Next).OfType<string>()))
        {
            if (!environments.Contains(stage))
            {
                environments.Add(stage);
            }
        }
        TableWriter.Write(writer, ["COMMIT", "BRANCH", "AUTHOR", "BUILD", .. environments.Select(e => e.ToUpperInvariant()), "AGE"], runs.Select(r => (IReadOnlyList<string>)
        [
            r.Commit.Length > 12 ? r.Commit[..12] : r.Commit,
            r.Branch ?? "-",
            Author(r.Author),
            r.Build is { } build ? $"#{build.ToString(CultureInfo.InvariantCulture)} {r.BuildState}" : "-",
            .. environments.Select(e => r.Stages.FirstOrDefault(s => s.Environment == e) is { } stage
                ? $"r{stage.Release.ToString(CultureInfo.InvariantCulture)} {stage.Phase}"
                : r.Next == e ? (r.NextMode == PromotionGate.Approval ? "awaiting approval" : "promoting") : "-"),
            Humanize.Ago(r.At, now),
        ]));
        foreach (var failed in runs.Where(r => r.Message is not null).Take(3))
        {
            writer.WriteLine($"build #{failed.Build} ({failed.Commit[..Math.Min(12, failed.Commit.Length)]}): {failed.Message}");
        }
        if (runs.FirstOrDefault(r => r.NextMode == PromotionGate.Approval) is { } waiting)
        {
            var from = waiting.Stages.LastOrDefault()?.Environment ?? EnvironmentNames.DefaultPushEnvironment;
            writer.WriteLine($"approve {waiting.Commit[..Math.Min(12, waiting.Commit.Length)]} for {waiting.Next}: gantry promote {app} --from {from} --to {waiting.Next}");
        }
    }

    private static string Author(string? author) =>
        author is null ? "-" : author.IndexOf(" <", StringComparison.Ordinal) is var at and > 0 ? author[..at] : author;
}
