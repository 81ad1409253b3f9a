using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Settings;

/// <summary>
/// Users, teams, tokens and the audit log for the Settings pages, implemented by the server with the services the API's
/// `/api/v1/users`, `/teams`, `/tokens` and `/audit` endpoints call, under the same rules: users, teams and the audit log
/// are for admins (anyone else gets the API's 403 whatever the page showed), tokens for every user (their own; an admin
/// sees every token's metadata, never a secret).
/// </summary>
public interface IConsoleSettings
{
    /// <summary>True for a server-wide admin: the header shows the Settings link.</summary>
    bool IsAdmin(HttpContext context);

    Task<ConsoleChange<IReadOnlyList<UserView>>> UsersAsync(HttpContext context, CancellationToken ct);

    /// <summary>Creates a user with a generated password, returned once (only its hash is kept), as `gantry users add` does.</summary>
    Task<ConsoleChange<NewUser>> CreateUserAsync(HttpContext context, string name, string team, Role role, CancellationToken ct);

    /// <summary>Gives <paramref name="user"/> <paramref name="role"/> in <paramref name="team"/>, or with null takes it away (`gantry users grant|revoke`).</summary>
    Task<ConsoleChange<UserView>> SetMembershipAsync(HttpContext context, string user, string team, Role? role, CancellationToken ct);

    /// <summary>`gantry users disable|enable`.</summary>
    Task<ConsoleChange<UserView>> SetDisabledAsync(HttpContext context, string user, bool disabled, CancellationToken ct);

    /// <summary>`gantry users rm`: the user and every token of theirs.</summary>
    Task<ConsoleChange<UserView>> RemoveUserAsync(HttpContext context, string user, CancellationToken ct);

    Task<ConsoleChange<IReadOnlyList<TeamView>>> TeamsAsync(HttpContext context, CancellationToken ct);

    Task<ConsoleChange<TeamView>> CreateTeamAsync(HttpContext context, string name, CancellationToken ct);

    /// <summary>The signed-in user's tokens; every user's for an admin (metadata only).</summary>
    Task<IReadOnlyList<TokenView>> TokensAsync(HttpContext context, CancellationToken ct);

    /// <summary>The teams the signed-in user may scope a token to, with the role held there (the token's highest).</summary>
    IReadOnlyList<TeamMembership> TokenScopes(HttpContext context);

    /// <summary>A token for the signed-in user, no stronger than they are (`gantry tokens create`); the secret is in the answer only.</summary>
    Task<ConsoleChange<TokenCreated>> CreateTokenAsync(HttpContext context, TokenCreateRequest request, CancellationToken ct);

    /// <summary>`gantry tokens revoke`: the user's own token, or any for an admin; another user's is "does not exist".</summary>
    Task<ConsoleChange<TokenView>> RevokeTokenAsync(HttpContext context, string id, CancellationToken ct);

    /// <summary>A page of the audit log, newest first, as `GET /api/v1/audit` filters it.</summary>
    Task<ConsoleChange<IReadOnlyList<AuditEntryView>>> AuditAsync(HttpContext context, AuditFilter filter, CancellationToken ct);
}
