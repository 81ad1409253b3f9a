using System.CommandLine;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>`gantry users`: list, add, rm, passwd, grant and revoke (admins, except passwd of one's own password).</summary>
public static class UsersCommand
{
    public static Command Create(CliContext context)
    {
        var command = IdentityJson.Listing<UserView>(context, "users", "Users and their roles in teams (admins)", "api/v1/users", j => j.IReadOnlyListUserView,
            ["USER", "TEAMS", "CREATED"],
            u => [u.Disabled ? $"{u.Name} (disabled)" : u.Name, string.Join(", ", u.Teams.Select(t => $"{t.Team}:{IdentityJson.Name(t.Role)}")), IdentityJson.Time(u.Created)]);
        command.Add(Add(context));
        command.Add(Remove(context));
        command.Add(Passwd(context));
        command.Add(Grant(context));
        command.Add(Revoke(context));
        command.Add(Toggle(context, "disable", "Disable a user: their password and every token of theirs stop working at once (kept for enable)", "disabled"));
        command.Add(Toggle(context, "enable", "Enable a disabled user again, with their teams and tokens as they were", "enabled"));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "User name" };
        var team = new Option<string>("--team") { Description = "The user's team", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, deployer or admin", Required = true };
        var command = new Command("add", "Add a user; the password is read from standard input") { name, team, role };
        command.SetAction(async (parse, ct) =>
        {
            var asked = IdentityJson.ParseRole(parse.GetRequiredValue(role));
            var password = await Secrets.ReadLineAsync(context, "password", ct).ConfigureAwait(false);
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var request = new UserCreateRequest(parse.GetRequiredValue(name), password, parse.GetRequiredValue(team), asked);
                var user = await api.CallAsync(HttpMethod.Post, "api/v1/users", IdentityJson.Body(request, ApiJsonContext.Default.UserCreateRequest), ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"added user {user.Name}: {IdentityJson.Name(asked)} in {request.Team}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "User name" };
        var command = new Command("rm", "Remove a user and revoke every token of theirs") { name };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var user = await api.CallAsync(HttpMethod.Delete, "api/v1/users/" + IdentityJson.Path(parse.GetRequiredValue(name)), null, ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"removed user {user.Name} and their tokens").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    private static Command Passwd(CliContext context)
    {
        var name = new Argument<string?>("NAME") { Description = "User name (default: yourself)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("passwd", "Change a password: yours (the current one, then the new one, on standard input), or as an admin anyone's (the new one only)") { name };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var me = await api.CallAsync(HttpMethod.Get, "api/v1/whoami", null, ApiJsonContext.Default.WhoAmIView, ct).ConfigureAwait(false);
            var user = parse.GetValue(name) ?? me.User;
            var current = me.Admin ? null : await Secrets.ReadLineAsync(context, "current password", ct).ConfigureAwait(false);
            var password = await Secrets.ReadLineAsync(context, "new password", ct).ConfigureAwait(false);
            var request = new PasswordChangeRequest(password) { Current = current };
            await api.CallAsync(HttpMethod.Put, $"api/v1/users/{IdentityJson.Path(user)}/password", IdentityJson.Body(request, ApiJsonContext.Default.PasswordChangeRequest), ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"changed the password of {user}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    private static Command Grant(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "User name" };
        var team = new Option<string>("--team") { Description = "Team", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, deployer or admin", Required = true };
        var command = new Command("grant", "Give a user a role in a team (or change it)") { name, team, role };
        command.SetAction(async (parse, ct) =>
        {
            var asked = IdentityJson.ParseRole(parse.GetRequiredValue(role));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var path = $"api/v1/users/{IdentityJson.Path(parse.GetRequiredValue(name))}/teams/{IdentityJson.Path(parse.GetRequiredValue(team))}";
                await api.CallAsync(HttpMethod.Put, path, IdentityJson.Body(new MembershipRequest(asked), ApiJsonContext.Default.MembershipRequest), ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"{parse.GetRequiredValue(name)} is now {IdentityJson.Name(asked)} in {parse.GetRequiredValue(team)}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "User name" };
        var team = new Option<string>("--team") { Description = "Team", Required = true };
        var command = new Command("revoke", "Take a user's role in a team away") { name, team };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var path = $"api/v1/users/{IdentityJson.Path(parse.GetRequiredValue(name))}/teams/{IdentityJson.Path(parse.GetRequiredValue(team))}";
            await api.CallAsync(HttpMethod.Delete, path, null, ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"{parse.GetRequiredValue(name)} is no longer in {parse.GetRequiredValue(team)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    /// <summary>`gantry users disable NAME` and `gantry users enable NAME` (POST /api/v1/users/NAME/disable or /enable).</summary>
    private static Command Toggle(CliContext context, string verb, string description, string done)
    {
        var name = new Argument<string>("NAME") { Description = "User name" };
        var command = new Command(verb, description) { name };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var user = await api.CallAsync(HttpMethod.Post, $"api/v1/users/{IdentityJson.Path(parse.GetRequiredValue(name))}/{verb}", null, ApiJsonContext.Default.UserView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"{done} user {user.Name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }
}
