using System.CommandLine;
using System.Globalization;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>`gantry teams`: the teams you are in (admins: all), `teams add T`, `teams rm T` (admins).</summary>
public static class TeamsCommand
{
    public static Command Create(CliContext context)
    {
        var command = IdentityJson.Listing<TeamView>(context, "teams", "Teams, with their members and apps", "api/v1/teams", j => j.IReadOnlyListTeamView,
            ["TEAM", "MEMBERS", "APPS", "CREATED"],
            t => [t.Name, t.Members.ToString(CultureInfo.InvariantCulture), t.Apps.ToString(CultureInfo.InvariantCulture), IdentityJson.Time(t.Created)]);

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
