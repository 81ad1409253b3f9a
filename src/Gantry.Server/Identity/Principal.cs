using Gantry.Model.Api.Identity;

namespace Gantry.Server.Identity;

/// <summary>
/// Who made a request and what it may do: its role per team, already narrowed to the token's scope. Every authorization
/// decision is a question to this record, so one rule holds for the API, the registry and the console.
/// </summary>
public sealed record Principal(string Name, PrincipalKind Kind, IReadOnlyDictionary<string, Role> Teams, bool IsAdmin)
{
    /// <summary>The token's id when the caller used a user token.</summary>
    public string? TokenId { get; init; }

    public bool IsRouter => Kind == PrincipalKind.Router;

    /// <summary>The caller's role in <paramref name="team"/>, or null when it has none there.</summary>
    public Role? RoleIn(string team) =>
        IsAdmin ? Role.Admin : Teams.TryGetValue(team, out var role) ? role : null;

    /// <summary>True when the caller holds at least <paramref name="needed"/> in <paramref name="team"/>.</summary>
    public bool Can(string team, Role needed) => RoleIn(team) is { } role && role >= needed;

    /// <summary>"alice (deployer in web)", for messages that tell a user why something is refused.</summary>
    public string Describe() => IsAdmin ? $"{Name} (admin)"
        : Teams.Count == 0 ? Name
        : $"{Name} ({string.Join(", ", Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Value.ToString().ToLowerInvariant()} in {t.Key}"))})";

    public static Principal Admin(string name, PrincipalKind kind) => new(name, kind, new Dictionary<string, Role>(), true);

    public static Principal Router { get; } = new("router", PrincipalKind.Router, new Dictionary<string, Role>(), false);

    /// <summary>A user's principal, narrowed to a token's team and role when it has them.</summary>
    public static Principal ForUser(string name, UserRecord user, PrincipalKind kind, TokenRecord? token = null, string? tokenId = null)
    {
        var teams = new Dictionary<string, Role>(StringComparer.Ordinal);
        foreach (var membership in user.Teams)
        {
            teams[membership.Team] = membership.Role;
        }
        var admin = user.IsAdmin;
        if (token is not null)
        {
            if (token.Team is { } only)
            {
                // An admin's token scoped to a team acts as a member of that team only: never server-wide.
                var role = admin ? Role.Admin : teams.GetValueOrDefault(only);
                teams.Clear();
                if (role != 0)
                {
                    teams[only] = (Role)Math.Min((int)role, (int)token.Role);
                }
                admin = false;
            }
            else
            {
                admin = admin && token.Role == Role.Admin;
                foreach (var team in teams.Keys.ToList())
                {
                    teams[team] = (Role)Math.Min((int)teams[team], (int)token.Role);
                }
            }
        }
        return new Principal(name, kind, teams, admin) { TokenId = tokenId };
    }
}
