using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry whoami`: the user the saved token acts as, and its role in each team.</summary>
public static class WhoAmICommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("whoami", "Show the user you are signed in as and your roles") { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var me = await api.CallAsync(HttpMethod.Get, "api/v1/whoami", null, ApiJsonContext.Default.WhoAmIView, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                Output.JsonOutput.Write(context.Out, me, Output.JsonOutput.Indented.WhoAmIView);
                return ExitCodes.Ok;
            }
            var roles = me.Admin ? "admin (every team)" : me.Teams.Count == 0 ? "no team" : string.Join(", ", me.Teams.Select(t => $"{IdentityJson.Name(t.Role)} in {t.Team}"));
            await context.Out.WriteLineAsync($"{me.User}: {roles}{(me.TokenId is null ? "" : $" (token {me.TokenId})")}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }
}
