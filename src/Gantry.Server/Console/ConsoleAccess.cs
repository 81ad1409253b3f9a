using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The access gate the API's endpoints get from <see cref="AccessMiddleware"/>, for the console's actions: the same rule
/// (<see cref="AppAccess"/>) on the principal the session resolved to, checked on every call whatever the page showed.
/// </summary>
internal static class ConsoleAccess
{
    /// <summary>The app when the caller holds <paramref name="needed"/> in its team; else the problem the API would answer (404 or 403).</summary>
    public static async Task<(StoredApp? App, ApiProblem? Problem)> CheckAsync(IResourceStore store, HttpContext context, string app, Role needed, CancellationToken ct)
    {
        var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return (null, AppAccess.NotFound(app));
        }
        var problem = AppAccess.Check(context.Principal(), app, stored.Spec.TeamName, needed);
        return problem is null ? (stored, null) : (null, problem);
    }
}
