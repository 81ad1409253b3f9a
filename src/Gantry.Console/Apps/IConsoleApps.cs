using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Apps;

/// <summary>
/// The apps the signed-in user may see and what they may do to them, implemented by the server with the same queries,
/// services and principal as the API (`GET /api/v1/apps`, `POST .../scale`, `GET .../events`), so the console and the API
/// cannot disagree about who sees or does what.
/// </summary>
public interface IConsoleApps
{
    Task<IReadOnlyList<AppSummary>> ListAsync(HttpContext context, CancellationToken ct);

    /// <summary>The app, or null when it does not exist or belongs to a team the user has no role in (the same answer for both).</summary>
    Task<AppDetail?> FindAsync(HttpContext context, string app, CancellationToken ct);

    /// <summary>The user's role in <paramref name="team"/> (admin everywhere for an admin), or null: pages show only the buttons it allows.</summary>
    Role? RoleIn(HttpContext context, string team);

    /// <summary>Sets replica counts by service, as `gantry scale` does; refused (403) below deployer whatever the page showed.</summary>
    Task<ConsoleChange<DeployResponse>> ScaleAsync(HttpContext context, string app, IReadOnlyDictionary<string, int> replicas, CancellationToken ct);

    /// <summary>The app's newest events, newest first; null when the user may not see the app.</summary>
    Task<IReadOnlyList<EventView>?> EventsAsync(HttpContext context, string app, int limit, CancellationToken ct);

    /// <summary>
    /// The app's events after <paramref name="afterId"/> and then each new one as it is recorded (the store's event feed, as
    /// `gantry events -f` follows it: nothing is polled); null when the user may not see the app.
    /// </summary>
    Task<IAsyncEnumerable<EventView>?> FollowEventsAsync(HttpContext context, string app, long afterId, CancellationToken ct);
}
