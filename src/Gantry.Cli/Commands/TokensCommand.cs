using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>`gantry tokens`: your API tokens (admins: everyone's), `tokens create`, `tokens revoke ID`.</summary>
public static class TokensCommand
{
    public static Command Create(CliContext context)
    {
        var command = IdentityJson.Listing<TokenView>(context, "tokens", "API tokens: list, create, revoke", "api/v1/tokens", j => j.IReadOnlyListTokenView,
            ["ID", "USER", "TEAM", "ROLE", "EXPIRES", "DESCRIPTION"],
            t => [t.Id, t.User, t.Team ?? "(all)", IdentityJson.Name(t.Role), t.Expires is { } e ? IdentityJson.Time(e) : "never", t.Description ?? ""]);

        var team = new Option<string?>("--team") { Description = "Act in this team only (default: all of yours)" };
        var role = new Option<string?>("--role") { Description = "viewer, deployer or admin; no higher than yours (default: yours)" };
        var expires = new Option<string?>("--expires") { Description = "Lifetime, e.g. 12h, 30d; 'never' (admins only); default 90d" };
        var description = new Option<string?>("--description") { Description = "What the token is for (shown in the list)" };
        var create = new Command("create", "Create a token; its secret is printed once") { team, role, expires, description };
        create.SetAction(async (parse, ct) =>
        {
            var request = new TokenCreateRequest
            {
                Team = parse.GetValue(team),
                Role = parse.GetValue(role) is { } r ? IdentityJson.ParseRole(r) : null,
                ExpiresInSeconds = parse.GetValue(expires) switch
                {
                    null => null,
                    "never" => 0,
                    var text => (long)(Humanize.ParseDuration(text.EndsWith('d') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var days) ? $"{days * 24}h" : text)
                        ?? throw new CliException(ExitCodes.Usage, $"--expires '{text}' is not a duration: use e.g. 12h, 30d or never")).TotalSeconds,
                },
                Description = parse.GetValue(description),
            };
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var created = await api.CallAsync(HttpMethod.Post, "api/v1/tokens", IdentityJson.Body(request, ApiJsonContext.Default.TokenCreateRequest), ApiJsonContext.Default.TokenCreated, ct).ConfigureAwait(false);
                await context.Error.WriteLineAsync($"token {created.Token.Id}: {IdentityJson.Name(created.Token.Role)} in {created.Token.Team ?? "all your teams"}, expires {(created.Token.Expires is { } e ? IdentityJson.Time(e) : "never")}; the secret below is shown only now").ConfigureAwait(false);
                await context.Out.WriteLineAsync(created.Secret).ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });

        var id = new Argument<string>("ID") { Description = "Token id (from `gantry tokens`)" };
        var revoke = new Command("revoke", "Revoke a token at once") { id };
        revoke.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var token = await api.CallAsync(HttpMethod.Delete, "api/v1/tokens/" + IdentityJson.Path(parse.GetRequiredValue(id)), null, ApiJsonContext.Default.TokenView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"revoked token {token.Id} of {token.User}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        command.Add(create);
        command.Add(revoke);
        return command;
    }
}
