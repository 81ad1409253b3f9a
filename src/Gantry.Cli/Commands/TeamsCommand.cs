using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>`gantry teams`: the teams you are in (admins: all), `teams add T`, `teams rm T` (admins).</summary>
public static class TeamsCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("teams", "Teams, with their members and apps") { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var teams = await api.CallAsync(HttpMethod.Get, "api/v1/teams", null, ApiJsonContext.Default.IReadOnlyListTeamView, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                JsonOutput.Write(context.Out, teams, JsonOutput.Indented.IReadOnlyListTeamView);
                return ExitCodes.Ok;
            }
            TableWriter.Write(context.Out, ["TEAM", "MEMBERS", "APPS", "CREATED"], teams.Select(t => (IReadOnlyList<string>)
            [
                t.Name, t.Members.ToString(CultureInfo.InvariantCulture), t.Apps.ToString(CultureInfo.InvariantCulture),
                t.Created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ]));
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var addName = new Argument<string>("TEAM") { Description = "Team name" };
        var add = new Command("add", "Create a team") { addName };
        add.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var team = await api.CallAsync(HttpMethod.Post, "api/v1/teams", IdentityJson.Body(new TeamCreateRequest(parse.GetRequiredValue(addName)), ApiJsonContext.Default.TeamCreateRequest), ApiJsonContext.Default.TeamView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"created team {team.Name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var rmName = new Argument<string>("TEAM") { Description = "Team name" };
        var rm = new Command("rm", "Remove an empty team") { rmName };
        rm.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var team = await api.CallAsync(HttpMethod.Delete, "api/v1/teams/" + IdentityJson.Path(parse.GetRequiredValue(rmName)), null, ApiJsonContext.Default.TeamView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"removed team {team.Name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        command.Add(add);
        command.Add(rm);
        return command;
    }
}
