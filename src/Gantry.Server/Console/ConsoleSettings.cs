using System.Security.Cryptography;
using Gantry.Console;
using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Identity;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's Settings on the API's own pieces: <see cref="IdentityService"/> (what `/api/v1/users`, `/teams` and
/// `/tokens` call) and <see cref="IAuditLog"/> (what `/api/v1/audit` reads). The admin-only endpoints' rule is checked here
/// on every call, GET or POST, with the API's words; the rules that depend on the records (the last admin, a token no
/// stronger than its user) are the service's, so they cannot differ between the two.
/// </summary>
public sealed class ConsoleSettings(IdentityService identity, IAuditLog audit) : IConsoleSettings
{
    private const string Invalid = "Invalid request";

    public bool IsAdmin(HttpContext context) => context.PrincipalOrNull()?.IsAdmin == true;

    public async Task<ConsoleChange<IReadOnlyList<UserView>>> UsersAsync(HttpContext context, CancellationToken ct) =>
        AdminOnly(context) is { } denied
            ? ConsoleChange<IReadOnlyList<UserView>>.Failed(denied)
            : ConsoleChange<IReadOnlyList<UserView>>.Done(await identity.ListUsersAsync(ct).ConfigureAwait(false));

    public async Task<ConsoleChange<NewUser>> CreateUserAsync(HttpContext context, string name, string team, Role role, CancellationToken ct)
    {
        if (AdminOnly(context) is { } denied)
        {
            return ConsoleChange<NewUser>.Failed(denied);
        }
        var password = GeneratePassword();
        var outcome = await identity.CreateUserAsync(new UserCreateRequest(name, password, team, role), ct).ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, "Create", Invalid) is { } problem
            ? ConsoleChange<NewUser>.Failed(problem)
            : ConsoleChange<NewUser>.Done(new NewUser(outcome.Response!, password));
    }

    public Task<ConsoleChange<UserView>> SetMembershipAsync(HttpContext context, string user, string team, Role? role, CancellationToken ct) =>
        AdminChangeAsync(context, () => identity.SetMembershipAsync(user, team, role, ct), "Change");

    public Task<ConsoleChange<UserView>> SetDisabledAsync(HttpContext context, string user, bool disabled, CancellationToken ct) =>
        AdminChangeAsync(context, () => identity.SetDisabledAsync(user, disabled, ct), "Change");

    public Task<ConsoleChange<UserView>> RemoveUserAsync(HttpContext context, string user, CancellationToken ct) =>
        AdminChangeAsync(context, () => identity.DeleteUserAsync(user, ct), "Remove");

    public async Task<ConsoleChange<IReadOnlyList<TeamView>>> TeamsAsync(HttpContext context, CancellationToken ct) =>
        AdminOnly(context) is { } denied
            ? ConsoleChange<IReadOnlyList<TeamView>>.Failed(denied)
            : ConsoleChange<IReadOnlyList<TeamView>>.Done(await identity.ListTeamsAsync(context.Principal(), ct).ConfigureAwait(false));

    public Task<ConsoleChange<TeamView>> CreateTeamAsync(HttpContext context, string name, CancellationToken ct) =>
        AdminChangeAsync(context, () => identity.CreateTeamAsync(name, ct), "Create");

    public Task<IReadOnlyList<TokenView>> TokensAsync(HttpContext context, CancellationToken ct) => identity.ListTokensAsync(context.Principal(), ct);

    public IReadOnlyList<TeamMembership> TokenScopes(HttpContext context) =>
        [.. context.Principal().Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TeamMembership(t.Key, t.Value))];

    public async Task<ConsoleChange<TokenCreated>> CreateTokenAsync(HttpContext context, TokenCreateRequest request, CancellationToken ct)
    {
        var outcome = await identity.CreateTokenAsync(context.Principal(), request, ct).ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, "Create", Invalid) is { } problem
            ? ConsoleChange<TokenCreated>.Failed(problem)
            : ConsoleChange<TokenCreated>.Done(outcome.Response!);
    }

    public async Task<ConsoleChange<TokenView>> RevokeTokenAsync(HttpContext context, string id, CancellationToken ct)
    {
        var outcome = await identity.RevokeTokenAsync(context.Principal(), id, ct).ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, "Revoke", Invalid) is { } problem
            ? ConsoleChange<TokenView>.Failed(problem)
            : ConsoleChange<TokenView>.Done(outcome.Response!);
    }

    public async Task<ConsoleChange<IReadOnlyList<AuditEntryView>>> AuditAsync(HttpContext context, AuditFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (AdminOnly(context) is { } denied)
        {
            return ConsoleChange<IReadOnlyList<AuditEntryView>>.Failed(denied);
        }
        var entries = await audit.ListAuditAsync(new AuditQuery
        {
            Actor = filter.Actor,
            Action = filter.Action,
            Target = filter.App is null ? null : AuditEndpoints.AppTarget(filter.App),
            Since = filter.Since,
            Until = filter.Until,
            BeforeId = filter.Before,
            Limit = Math.Clamp(filter.Limit, 1, 500),
        }, ct).ConfigureAwait(false);
        return ConsoleChange<IReadOnlyList<AuditEntryView>>.Done([.. entries.OrderByDescending(e => e.Id).Select(AuditEndpoints.ToView)]);
    }

    /// <summary>The admin-only endpoints' answer for anyone else, word for word.</summary>
    private static ApiProblem? AdminOnly(HttpContext context)
    {
        var principal = context.Principal();
        return principal.IsAdmin ? null : AppAccess.Forbidden($"only an admin may do this; you are {principal.Describe()}");
    }

    private static async Task<ConsoleChange<T>> AdminChangeAsync<T>(HttpContext context, Func<Task<ChangeOutcome<T>>> change, string verb)
        where T : class
    {
        if (AdminOnly(context) is { } denied)
        {
            return ConsoleChange<T>.Failed(denied);
        }
        var outcome = await change().ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, verb, Invalid) is { } problem ? ConsoleChange<T>.Failed(problem) : ConsoleChange<T>.Done(outcome.Response!);
    }

    /// <summary>
    /// 20 characters from an alphabet without look-alikes (about 100 bits): the admin reads it to the new user, who
    /// changes it with `gantry users passwd`. Only its hash is kept.
    /// </summary>
    private static string GeneratePassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }
}
