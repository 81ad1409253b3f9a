using Gantry.Model.Api.Identity;
using Gantry.Server.Identity;

namespace Gantry.Server.Git;

/// <summary>
/// Who may fetch and push a repository: the app's team decides, as for the API. A viewer fetches and clones, a deployer
/// also pushes; an app of a team the caller has no role in is a 404, exactly like a name nobody uses (team blindness). A
/// name without an app may be pushed by anyone who may create apps (deployer in a team, or admin); the push creates it.
/// </summary>
public static class GitAccess
{
    /// <param name="appTeam">The team of the app named <paramref name="app"/>; null when no such app exists.</param>
    public static GitAccessDecision Decide(Principal caller, GitService service, string app, string? appTeam)
    {
        if (caller.IsRouter)
        {
            return GitAccessDecision.Forbidden("the routers' token only reads the route feed; push and fetch with a user's password or token");
        }
        if (appTeam is null)
        {
            if (service == GitService.ReceivePack && (caller.IsAdmin || caller.Teams.Values.Any(r => r >= Role.Deployer)))
            {
                return GitAccessDecision.Create;
            }
            return GitAccessDecision.NotFound(service == GitService.ReceivePack
                ? $"app '{app}' does not exist, and creating one by a push needs the deployer role in a team; you are {caller.Describe()}"
                : $"app '{app}' does not exist: push to it first");
        }
        var role = caller.RoleIn(appTeam);
        if (role is null)
        {
            return GitAccessDecision.NotFound($"app '{app}' does not exist");
        }
        if (service == GitService.ReceivePack && role < Role.Deployer)
        {
            return GitAccessDecision.Forbidden($"pushing to '{app}' needs the deployer role in team '{appTeam}'; you are {caller.Describe()} (viewers may fetch and clone)");
        }
        return GitAccessDecision.Allowed;
    }
}
