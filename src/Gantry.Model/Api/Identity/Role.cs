namespace Gantry.Model.Api.Identity;

/// <summary>What a member may do in a team, lowest first so roles compare by order.</summary>
/// <remarks>
/// <see cref="Admin"/> is server-wide: an admin of any team administers every team, the users, the tokens and the
/// nodes, because those are not any one team's. <see cref="Deployer"/> and <see cref="Viewer"/> hold only in their team.
/// </remarks>
public enum Role
{
    /// <summary>Reads the team's apps, logs, events, routes, requests, releases and images.</summary>
    Viewer = 1,

    /// <summary>A viewer who also deploys, scales, rolls back and removes the team's apps and pushes the team's images; sees secrets' names, never their values.</summary>
    Deployer = 2,

    /// <summary>Everything, in every team, including users, teams, tokens, nodes and privileged deploys.</summary>
    Admin = 3,
}
