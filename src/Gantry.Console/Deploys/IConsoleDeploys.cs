using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Deploys;

/// <summary>
/// Deploys from the browser, implemented by the server with the very pipeline `PUT /api/v1/apps/{app}` runs (request check,
/// bundle, compose loader under the caller's policy, image check, guard, pre-deploy check, release): the same plan,
/// warnings and located refusals as `gantry deploy [--check]`.
/// </summary>
public interface IConsoleDeploys
{
    /// <summary>The teams the user may create an app in (deployer or more), and whether any team goes (an admin).</summary>
    DeployTeams TeamsFor(HttpContext context);

    Task<ConsoleChange<DeployResponse>> DeployAsync(HttpContext context, string app, ConsoleDeployRequest request, CancellationToken ct);
}

/// <param name="Any">True for an admin, who may name any team (or none: "default").</param>
public sealed record DeployTeams(IReadOnlyList<string> Teams, bool Any);
