using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Apps;

/// <summary>
/// The apps the signed-in user may see, implemented by the server with the same query (and the same principal) as
/// `GET /api/v1/apps`, so the console and the API cannot disagree about who sees what.
/// </summary>
public interface IConsoleApps
{
    Task<IReadOnlyList<AppSummary>> ListAsync(HttpContext context, CancellationToken ct);

    /// <summary>The app, or null when it does not exist or belongs to a team the user has no role in (the same answer for both).</summary>
    Task<AppDetail?> FindAsync(HttpContext context, string app, CancellationToken ct);
}
