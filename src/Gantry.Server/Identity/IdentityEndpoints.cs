using System.Text.Json;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Identity;

/// <summary>Sign-in, who am I, and the users, teams and tokens (`/api/v1/login`, `/whoami`, `/users`, `/teams`, `/tokens`).</summary>
public static class IdentityEndpoints
{
    public static void MapIdentityEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/login", LoginAsync).WithTags("identity").WithName("Login").Access(AccessKind.Public);
        routes.MapGet("/api/v1/whoami", WhoAmI).WithTags("identity").WithName("WhoAmI").Access(AccessKind.AnyUser);

        var users = routes.MapGroup("/api/v1/users").WithTags("identity");
        users.MapGet("/", async (IdentityService identity, CancellationToken ct) =>
            Results.Json(await identity.ListUsersAsync(ct), ApiJsonContext.Default.IReadOnlyListUserView)).WithName("ListUsers").Access(AccessKind.Admin);
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").Access(AccessKind.Admin);
        users.MapDelete("/{user}", async (string user, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.DeleteUserAsync(user, ct), "Remove", ApiJsonContext.Default.UserView, StatusCodes.Status200OK)).WithName("RemoveUser").Access(AccessKind.Admin);
        users.MapPut("/{user}/teams/{team}", SetMembershipAsync).WithName("SetMembership").Access(AccessKind.Admin);
        users.MapDelete("/{user}/teams/{team}", async (string user, string team, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.SetMembershipAsync(user, team, null, ct), "Change", ApiJsonContext.Default.UserView, StatusCodes.Status200OK)).WithName("RemoveMembership").Access(AccessKind.Admin);
        users.MapPost("/{user}/disable", async (string user, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.SetDisabledAsync(user, true, ct), "Change", ApiJsonContext.Default.UserView, StatusCodes.Status200OK)).WithName("DisableUser").Access(AccessKind.Admin);
        users.MapPost("/{user}/enable", async (string user, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.SetDisabledAsync(user, false, ct), "Change", ApiJsonContext.Default.UserView, StatusCodes.Status200OK)).WithName("EnableUser").Access(AccessKind.Admin);
        users.MapPut("/{user}/password", ChangePasswordAsync).WithName("ChangePassword").Access(AccessKind.AnyUser);

        var teams = routes.MapGroup("/api/v1/teams").WithTags("identity");
        teams.MapGet("/", async (HttpContext context, IdentityService identity, CancellationToken ct) =>
            Results.Json(await identity.ListTeamsAsync(context.Principal(), ct), ApiJsonContext.Default.IReadOnlyListTeamView)).WithName("ListTeams").Access(AccessKind.AnyUser);
        teams.MapPost("/", CreateTeamAsync).WithName("CreateTeam").Access(AccessKind.Admin);
        teams.MapDelete("/{team}", async (string team, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.DeleteTeamAsync(team, ct), "Remove", ApiJsonContext.Default.TeamView, StatusCodes.Status200OK)).WithName("RemoveTeam").Access(AccessKind.Admin);

        var tokens = routes.MapGroup("/api/v1/tokens").WithTags("identity");
        tokens.MapGet("/", async (HttpContext context, IdentityService identity, CancellationToken ct) =>
            Results.Json(await identity.ListTokensAsync(context.Principal(), ct), ApiJsonContext.Default.IReadOnlyListTokenView)).WithName("ListTokens").Access(AccessKind.AnyUser);
        tokens.MapPost("/", CreateTokenAsync).WithName("CreateToken").Access(AccessKind.AnyUser);
        tokens.MapDelete("/{id}", async (string id, HttpContext context, IdentityService identity, CancellationToken ct) =>
            Answer(await identity.RevokeTokenAsync(context.Principal(), id, ct), "Revoke", ApiJsonContext.Default.TokenView, StatusCodes.Status200OK)).WithName("RevokeToken").Access(AccessKind.AnyUser);
    }

    /// <summary>A user name and password for a token, under the failure limit the console's sign-in shares.</summary>
    private static async Task<IResult> LoginAsync(HttpContext context, PasswordSignIn signIn, CancellationToken ct)
    {
        var request = await ReadAsync(context, ApiJsonContext.Default.LoginRequest, ct);
        if (request.Problem is { } bad)
        {
            return bad;
        }
        var (username, password) = (request.Value!.Username ?? "", request.Value.Password ?? "");
        AuditMiddleware.SetActor(context, username.Length is > 0 and <= 63 ? username : "anonymous");
        var result = await signIn.SignInAsync(context.Connection.RemoteIpAddress, username, password, "login", ct);
        if (result.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"too many failed sign-ins for this user or from this address; try again in {seconds} s");
        }
        return result.Token is { } created
            ? Results.Json(created, ApiJsonContext.Default.TokenCreated, statusCode: StatusCodes.Status201Created)
            : ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "the user name or password is wrong");
    }

    private static IResult WhoAmI(HttpContext context)
    {
        var principal = context.Principal();
        var teams = principal.Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TeamMembership(t.Key, t.Value)).ToList();
        return Results.Json(new WhoAmIView(principal.Name, principal.IsAdmin, teams) { TokenId = principal.TokenId }, ApiJsonContext.Default.WhoAmIView);
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, IdentityService identity, CancellationToken ct)
    {
        var request = await ReadAsync(context, ApiJsonContext.Default.UserCreateRequest, ct);
        return request.Problem ?? Answer(await identity.CreateUserAsync(request.Value!, ct), "Create", ApiJsonContext.Default.UserView, StatusCodes.Status201Created);
    }

    private static async Task<IResult> SetMembershipAsync(string user, string team, HttpContext context, IdentityService identity, CancellationToken ct)
    {
        var request = await ReadAsync(context, ApiJsonContext.Default.MembershipRequest, ct);
        return request.Problem ?? Answer(await identity.SetMembershipAsync(user, team, request.Value!.Role, ct), "Change", ApiJsonContext.Default.UserView, StatusCodes.Status200OK);
    }

    private static async Task<IResult> ChangePasswordAsync(string user, HttpContext context, IdentityService identity, CancellationToken ct)
    {
        var caller = context.Principal();
        if (caller.Name != user && !caller.IsAdmin)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", $"only an admin may change another user's password; you are {caller.Describe()}");
        }
        var request = await ReadAsync(context, ApiJsonContext.Default.PasswordChangeRequest, ct);
        return request.Problem ?? Answer(await identity.ChangePasswordAsync(user, request.Value!, caller, ct), "Change", ApiJsonContext.Default.UserView, StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateTeamAsync(HttpContext context, IdentityService identity, CancellationToken ct)
    {
        var request = await ReadAsync(context, ApiJsonContext.Default.TeamCreateRequest, ct);
        return request.Problem ?? Answer(await identity.CreateTeamAsync(request.Value!.Name, ct), "Create", ApiJsonContext.Default.TeamView, StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext context, IdentityService identity, CancellationToken ct)
    {
        var request = await ReadAsync(context, ApiJsonContext.Default.TokenCreateRequest, ct);
        return request.Problem ?? Answer(await identity.CreateTokenAsync(context.Principal(), request.Value!, ct), "Create", ApiJsonContext.Default.TokenCreated, StatusCodes.Status201Created);
    }

    private static IResult Answer<T>(ChangeOutcome<T> outcome, string verb, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, int status)
        where T : class =>
        ApiResults.FromOutcome(outcome, verb, "Invalid request", response => Results.Json(response, info, statusCode: status));

    /// <summary>The JSON body, or the 400 that says where it stopped being valid.</summary>
    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken ct)
        where T : class
    {
        var (value, problem) = await ApiResults.ReadJsonAsync(context, info, "valid JSON for this request", ct);
        return problem is null && value is null
            ? (null, ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "the body is empty: send a JSON object"))
            : (value, problem);
    }
}
