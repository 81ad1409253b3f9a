using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Store;

namespace Gantry.Server.Identity;

/// <summary>
/// Users, teams and tokens: the rules for changing them (who may, what is valid, what would lock everyone out), over the
/// store's "User", "Team" and "Token" kinds. Authorization of the caller for the endpoint itself is the access rules' job;
/// the rules here are the ones that depend on the records (a role no higher than the caller's, the last admin).
/// </summary>
public sealed class IdentityService(IResourceStore store, IdentityOptions options, TimeProvider time)
{
    /// <summary>On first start: the "default" team and the user "admin" whose password is the admin token.</summary>
    public async Task EnsureBootstrapAsync(string adminToken, CancellationToken ct)
    {
        if (await store.GetAsync(IdentityKinds.Team, AppSpec.DefaultTeam, ct).ConfigureAwait(false) is null)
        {
            await CreateIgnoringRaceAsync(IdentityKinds.Team, AppSpec.DefaultTeam, Serialize(new TeamRecord(time.GetUtcNow())), ct).ConfigureAwait(false);
        }
        if (await store.GetAsync(IdentityKinds.User, Authenticator.AdminUser, ct).ConfigureAwait(false) is null)
        {
            var admin = new UserRecord(PasswordHash.Create(adminToken, options.PasswordIterations), [new TeamMembership(AppSpec.DefaultTeam, Role.Admin)], time.GetUtcNow());
            await CreateIgnoringRaceAsync(IdentityKinds.User, Authenticator.AdminUser, Serialize(admin), ct).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct) =>
        (await ReadAllAsync(IdentityKinds.User, IdentityJsonContext.Default.UserRecord, ct).ConfigureAwait(false))
            .Select(u => View(u.Name, u.Record)).ToList();

    public async Task<ChangeOutcome<UserView>> CreateUserAsync(UserCreateRequest request, CancellationToken ct)
    {
        if ((InvalidName("name", request.Name, "user") ?? InvalidName("team", request.Team, "team")) is { } invalid)
        {
            return invalid.As<UserView>();
        }
        if (PasswordHash.Weakness(request.Password ?? "") is { } weak)
        {
            return Invalid<UserView>("password", weak);
        }
        if (!Enum.IsDefined(request.Role))
        {
            return Invalid<UserView>("role", "give the user's role in the team: viewer, deployer or admin");
        }
        if (await store.GetAsync(IdentityKinds.Team, request.Team, ct).ConfigureAwait(false) is null)
        {
            return ChangeOutcome<UserView>.Missing($"team '{request.Team}' does not exist: create it first (gantry teams add {request.Team})");
        }
        var record = new UserRecord(PasswordHash.Create(request.Password!, options.PasswordIterations), [new TeamMembership(request.Team, request.Role)], time.GetUtcNow());
        try
        {
            await store.CreateAsync(IdentityKinds.User, request.Name, Serialize(record), ct).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            return ChangeOutcome<UserView>.Conflict($"user '{request.Name}' already exists");
        }
        return ChangeOutcome<UserView>.Accepted(View(request.Name, record));
    }

    /// <summary>Gives <paramref name="user"/> <paramref name="role"/> in <paramref name="team"/>, or with null takes the membership away.</summary>
    public Task<ChangeOutcome<UserView>> SetMembershipAsync(string user, string team, Role? role, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (stored, record) = await GetUserAsync(user, ct).ConfigureAwait(false);
            if (record is null)
            {
                return ChangeOutcome<UserView>.Missing($"user '{user}' does not exist");
            }
            if (role is { } asked && !Enum.IsDefined(asked))
            {
                return Invalid<UserView>("role", "give the role: viewer, deployer or admin");
            }
            if (role is not null && await store.GetAsync(IdentityKinds.Team, team, ct).ConfigureAwait(false) is null)
            {
                return ChangeOutcome<UserView>.Missing($"team '{team}' does not exist: create it first (gantry teams add {team})");
            }
            var teams = record.Teams.Where(t => t.Team != team).ToList();
            if (role is { } given)
            {
                teams.Add(new TeamMembership(team, given));
            }
            var updated = record with { Teams = [.. teams.OrderBy(t => t.Team, StringComparer.Ordinal)] };
            if (record.IsAdmin && !updated.IsAdmin && await IsLastAdminAsync(user, ct).ConfigureAwait(false))
            {
                return ChangeOutcome<UserView>.Refused($"'{user}' is the last admin: make another user an admin first, or nobody could manage users again");
            }
            await store.UpsertSpecAsync(IdentityKinds.User, user, Serialize(updated), stored!.ResourceVersion, ct).ConfigureAwait(false);
            return ChangeOutcome<UserView>.Accepted(View(user, updated));
        });

    /// <summary>
    /// Disables a user (their password and every token of theirs stop authenticating at once, sessions included) or enables
    /// them again; the memberships and tokens are kept. The last enabled admin cannot be disabled.
    /// </summary>
    public Task<ChangeOutcome<UserView>> SetDisabledAsync(string user, bool disabled, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (stored, record) = await GetUserAsync(user, ct).ConfigureAwait(false);
            if (record is null)
            {
                return ChangeOutcome<UserView>.Missing($"user '{user}' does not exist");
            }
            if (record.IsDisabled == disabled)
            {
                return ChangeOutcome<UserView>.Accepted(View(user, record));
            }
            if (disabled && record.IsAdmin && await IsLastAdminAsync(user, ct).ConfigureAwait(false))
            {
                return ChangeOutcome<UserView>.Refused($"'{user}' is the last enabled admin: make another user an admin first, or nobody could manage users again");
            }
            var updated = record with { Disabled = disabled ? true : null };
            await store.UpsertSpecAsync(IdentityKinds.User, user, Serialize(updated), stored!.ResourceVersion, ct).ConfigureAwait(false);
            return ChangeOutcome<UserView>.Accepted(View(user, updated));
        });

    /// <summary>Removes a user and every token of theirs, in one commit.</summary>
    public async Task<ChangeOutcome<UserView>> DeleteUserAsync(string user, CancellationToken ct)
    {
        var (stored, record) = await GetUserAsync(user, ct).ConfigureAwait(false);
        if (record is null)
        {
            return ChangeOutcome<UserView>.Missing($"user '{user}' does not exist");
        }
        if (record.IsAdmin && await IsLastAdminAsync(user, ct).ConfigureAwait(false))
        {
            return ChangeOutcome<UserView>.Refused($"'{user}' is the last admin: make another user an admin first, or nobody could manage users again");
        }
        var batch = new StoreBatch().Delete(IdentityKinds.User, user, stored!.ResourceVersion);
        foreach (var (id, token) in await ReadAllAsync(IdentityKinds.Token, IdentityJsonContext.Default.TokenRecord, ct).ConfigureAwait(false))
        {
            if (token.User == user)
            {
                batch.Delete(IdentityKinds.Token, id);
            }
        }
        await store.CommitAsync(batch, ct).ConfigureAwait(false);
        return ChangeOutcome<UserView>.Accepted(View(user, record));
    }

    /// <summary>A user changing their own password proves the current one; an admin may set anyone's.</summary>
    public Task<ChangeOutcome<UserView>> ChangePasswordAsync(string user, PasswordChangeRequest request, Principal caller, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (stored, record) = await GetUserAsync(user, ct).ConfigureAwait(false);
            if (record is null)
            {
                return ChangeOutcome<UserView>.Missing($"user '{user}' does not exist");
            }
            if (PasswordHash.Weakness(request.Password ?? "") is { } weak)
            {
                return Invalid<UserView>("password", weak);
            }
            if (!caller.IsAdmin && (request.Current is null || !PasswordHash.Verify(request.Current, record.PasswordHash)))
            {
                return ChangeOutcome<UserView>.Refused("the current password is wrong (send it as 'current'); only an admin may set another user's password without it");
            }
            var updated = record with { PasswordHash = PasswordHash.Create(request.Password!, options.PasswordIterations) };
            await store.UpsertSpecAsync(IdentityKinds.User, user, Serialize(updated), stored!.ResourceVersion, ct).ConfigureAwait(false);
            return ChangeOutcome<UserView>.Accepted(View(user, updated));
        });

    public async Task<IReadOnlyList<TeamView>> ListTeamsAsync(Principal caller, CancellationToken ct)
    {
        var users = await ReadAllAsync(IdentityKinds.User, IdentityJsonContext.Default.UserRecord, ct).ConfigureAwait(false);
        var apps = await store.ListOtherAppsAsync(null, ct).ConfigureAwait(false);
        return (await ReadAllAsync(IdentityKinds.Team, IdentityJsonContext.Default.TeamRecord, ct).ConfigureAwait(false))
            .Where(t => caller.RoleIn(t.Name) is not null)
            .Select(t => new TeamView(t.Name, t.Record.Created,
                users.Count(u => u.Record.Teams.Any(m => m.Team == t.Name)),
                apps.Count(a => a.Spec.TeamName == t.Name)))
            .ToList();
    }

    public async Task<ChangeOutcome<TeamView>> CreateTeamAsync(string name, CancellationToken ct)
    {
        if (InvalidName("name", name, "team") is { } invalid)
        {
            return invalid.As<TeamView>();
        }
        var record = new TeamRecord(time.GetUtcNow());
        try
        {
            await store.CreateAsync(IdentityKinds.Team, name, Serialize(record), ct).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            return ChangeOutcome<TeamView>.Conflict($"team '{name}' already exists");
        }
        return ChangeOutcome<TeamView>.Accepted(new TeamView(name, record.Created, 0, 0));
    }

    /// <summary>Only an empty team goes: its apps and members would otherwise be left belonging to nothing.</summary>
    public async Task<ChangeOutcome<TeamView>> DeleteTeamAsync(string name, CancellationToken ct)
    {
        var stored = await store.GetAsync(IdentityKinds.Team, name, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return ChangeOutcome<TeamView>.Missing($"team '{name}' does not exist");
        }
        if (name == AppSpec.DefaultTeam)
        {
            return ChangeOutcome<TeamView>.Refused($"team '{name}' holds the apps deployed before teams existed and cannot be removed");
        }
        var apps = (await store.ListOtherAppsAsync(null, ct).ConfigureAwait(false)).Where(a => a.Spec.TeamName == name).Select(a => a.Name).ToList();
        var members = (await ReadAllAsync(IdentityKinds.User, IdentityJsonContext.Default.UserRecord, ct).ConfigureAwait(false))
            .Where(u => u.Record.Teams.Any(m => m.Team == name)).Select(u => u.Name).ToList();
        if (apps.Count > 0 || members.Count > 0)
        {
            return ChangeOutcome<TeamView>.Refused($"team '{name}' is not empty ({Listing("app", apps)}{(apps.Count > 0 && members.Count > 0 ? ", " : "")}{Listing("member", members)}): remove the apps and memberships first");
        }
        await store.DeleteAsync(IdentityKinds.Team, name, stored.ResourceVersion, ct).ConfigureAwait(false);
        return ChangeOutcome<TeamView>.Accepted(new TeamView(name, JsonSerializer.Deserialize(stored.SpecJson, IdentityJsonContext.Default.TeamRecord)!.Created, 0, 0));
    }

    public async Task<bool> TeamExistsAsync(string team, CancellationToken ct) =>
        await store.GetAsync(IdentityKinds.Team, team, ct).ConfigureAwait(false) is not null;

    /// <summary>A token for the caller, no stronger than the caller: a team it belongs to (or all), a role it holds there.</summary>
    public async Task<ChangeOutcome<TokenCreated>> CreateTokenAsync(Principal caller, TokenCreateRequest request, CancellationToken ct)
    {
        if (caller.IsRouter)
        {
            return ChangeOutcome<TokenCreated>.Refused("the routers' token cannot create tokens");
        }
        var held = request.Team is { } team ? caller.RoleIn(team) : caller.IsAdmin ? Role.Admin : caller.Teams.Count == 0 ? null : caller.Teams.Values.Max();
        if (held is null)
        {
            return request.Team is { } named
                ? ChangeOutcome<TokenCreated>.Refused($"you ({caller.Describe()}) are not a member of team '{named}', so you cannot make a token for it")
                : ChangeOutcome<TokenCreated>.Refused($"you ({caller.Describe()}) belong to no team, so a token would grant nothing");
        }
        if (request.Team is { } exists && !await TeamExistsAsync(exists, ct).ConfigureAwait(false))
        {
            return ChangeOutcome<TokenCreated>.Missing($"team '{exists}' does not exist");
        }
        var role = request.Role ?? held.Value;
        if (role > held)
        {
            return ChangeOutcome<TokenCreated>.Refused($"a token's role cannot be higher than yours: you are {held.Value.ToString().ToLowerInvariant()}{(request.Team is null ? "" : $" in {request.Team}")}, the token asks for {role.ToString().ToLowerInvariant()}");
        }
        TimeSpan? lifetime = request.ExpiresInSeconds switch
        {
            null => options.DefaultTokenLifetime,
            0 => null,
            < 0 => TimeSpan.MinValue,
            var seconds => TimeSpan.FromSeconds(seconds.Value),
        };
        if (lifetime == TimeSpan.MinValue)
        {
            return Invalid<TokenCreated>("expiresInSeconds", $"{request.ExpiresInSeconds} is negative: give the token's lifetime in seconds (0 for no expiry, admins only)");
        }
        if (lifetime is null && !caller.IsAdmin)
        {
            return ChangeOutcome<TokenCreated>.Refused("only an admin may create a token that never expires: give expiresInSeconds");
        }
        return ChangeOutcome<TokenCreated>.Accepted(await IssueAsync(caller.Name, request.Team, role, lifetime, request.Description, ct).ConfigureAwait(false));
    }

    /// <summary>The token a password sign-in gets: every team of the user, the user's own roles, <see cref="IdentityOptions.LoginTokenLifetime"/>.</summary>
    public Task<TokenCreated> IssueLoginTokenAsync(Principal user, string description, CancellationToken ct) =>
        IssueAsync(user.Name, null, user.IsAdmin ? Role.Admin : user.Teams.Count == 0 ? Role.Viewer : user.Teams.Values.Max(), options.LoginTokenLifetime, description, ct);

    public async Task<IReadOnlyList<TokenView>> ListTokensAsync(Principal caller, CancellationToken ct) =>
        (await ReadAllAsync(IdentityKinds.Token, IdentityJsonContext.Default.TokenRecord, ct).ConfigureAwait(false))
            .Where(t => caller.IsAdmin || t.Record.User == caller.Name)
            .Select(t => View(t.Name, t.Record))
            .OrderBy(t => t.User, StringComparer.Ordinal).ThenBy(t => t.Created)
            .ToList();

    public async Task<ChangeOutcome<TokenView>> RevokeTokenAsync(Principal caller, string id, CancellationToken ct)
    {
        var stored = await store.GetAsync(IdentityKinds.Token, id, ct).ConfigureAwait(false);
        var record = stored is null ? null : JsonSerializer.Deserialize(stored.SpecJson, IdentityJsonContext.Default.TokenRecord);
        // Another user's token is reported missing, not forbidden: its existence is none of the caller's business.
        if (record is null || !caller.IsAdmin && record.User != caller.Name)
        {
            return ChangeOutcome<TokenView>.Missing($"token '{id}' does not exist");
        }
        await store.DeleteAsync(IdentityKinds.Token, id, stored!.ResourceVersion, ct).ConfigureAwait(false);
        return ChangeOutcome<TokenView>.Accepted(View(id, record));
    }

    private async Task<TokenCreated> IssueAsync(string user, string? team, Role role, TimeSpan? lifetime, string? description, CancellationToken ct)
    {
        var (id, secret) = TokenSecret.New();
        var now = time.GetUtcNow();
        var record = new TokenRecord(user, TokenSecret.Hash(secret), role, now)
        {
            Team = team,
            Expires = lifetime is { } life ? now + life : null,
            Description = description is { Length: > 200 } ? description[..200] : description,
        };
        await store.CreateAsync(IdentityKinds.Token, id, Serialize(record), ct).ConfigureAwait(false);
        return new TokenCreated(View(id, record), secret);
    }

    private async Task<bool> IsLastAdminAsync(string user, CancellationToken ct) =>
        !(await ReadAllAsync(IdentityKinds.User, IdentityJsonContext.Default.UserRecord, ct).ConfigureAwait(false))
            .Any(u => u.Name != user && u.Record.IsAdmin && !u.Record.IsDisabled);

    private async Task<(StoredResource? Stored, UserRecord? Record)> GetUserAsync(string name, CancellationToken ct)
    {
        var stored = await store.GetAsync(IdentityKinds.User, name, ct).ConfigureAwait(false);
        return (stored, stored is null ? null : JsonSerializer.Deserialize(stored.SpecJson, IdentityJsonContext.Default.UserRecord));
    }

    private async Task<List<(string Name, T Record)>> ReadAllAsync<T>(string kind, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken ct) =>
        (await store.ListAsync(kind, ct).ConfigureAwait(false)).Select(r => (r.Name, JsonSerializer.Deserialize(r.SpecJson, info)!)).ToList();

    private async Task CreateIgnoringRaceAsync(string kind, string name, string json, CancellationToken ct)
    {
        try
        {
            await store.CreateAsync(kind, name, json, ct).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
        }
    }

    private static UserView View(string name, UserRecord record) => new(name, record.Teams, record.Created) { Admin = record.IsAdmin, Disabled = record.IsDisabled };

    private static TokenView View(string id, TokenRecord record) =>
        new(id, record.User, record.Role, record.Created) { Team = record.Team, Expires = record.Expires, Description = record.Description };

    private static string Listing(string what, List<string> names) =>
        names.Count == 0 ? "" : $"{names.Count} {what}{(names.Count == 1 ? "" : "s")}: {string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", ..." : "")}";

    private static NameProblem? InvalidName(string field, string? value, string what) =>
        value is not null && Names.IsValidAppName(value) ? null
            : new NameProblem(field, $"'{value}' is not a valid {what} name: use 1-63 lower-case letters, digits, '-' and '_', starting with a letter or digit");

    private static ChangeOutcome<T> Invalid<T>(string field, string message) where T : class =>
        ChangeOutcome<T>.Invalid([new Diagnostic("error", "request", 0, 0, field, message)]);

    private static string Serialize(UserRecord r) => JsonSerializer.Serialize(r, IdentityJsonContext.Default.UserRecord);

    private static string Serialize(TeamRecord r) => JsonSerializer.Serialize(r, IdentityJsonContext.Default.TeamRecord);

    private static string Serialize(TokenRecord r) => JsonSerializer.Serialize(r, IdentityJsonContext.Default.TokenRecord);

    private sealed record NameProblem(string Field, string Message)
    {
        public ChangeOutcome<T> As<T>() where T : class => ChangeOutcome<T>.Invalid([new Diagnostic("error", "request", 0, 0, Field, Message)]);
    }
}
