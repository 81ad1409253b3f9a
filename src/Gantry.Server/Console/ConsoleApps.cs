using Gantry.Console;
using Gantry.Console.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's app views and actions for the principal the session resolved to, through the API's own pieces:
/// <see cref="AppQuery"/>, <see cref="DeployService.ScaleAsync"/> and the store's events, behind the API's access rule.
/// </summary>
public sealed class ConsoleApps(AppQuery query, DeployService deploys, IResourceStore store) : IConsoleApps
{
    public Task<IReadOnlyList<AppSummary>> ListAsync(HttpContext context, CancellationToken ct) => query.ListAsync(context.Principal(), ct);

    public Task<AppDetail?> FindAsync(HttpContext context, string app, CancellationToken ct) => query.FindAsync(context.Principal(), app, ct);

    public Role? RoleIn(HttpContext context, string team) => context.Principal().RoleIn(team);

    public async Task<ConsoleChange<DeployResponse>> ScaleAsync(HttpContext context, string app, IReadOnlyDictionary<string, int> replicas, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Deployer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return ConsoleChange<DeployResponse>.Failed(denied);
        }
        var outcome = await deploys.ScaleAsync(app, replicas, ct).ConfigureAwait(false);
        return BundleDeployer.Problem(outcome) is { } problem
            ? ConsoleChange<DeployResponse>.Failed(problem)
            : ConsoleChange<DeployResponse>.Done(outcome.Response!);
    }

    public async Task<IReadOnlyList<EventView>?> EventsAsync(HttpContext context, string app, int limit, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return null;
        }
        var events = await store.ListEventsAsync(new EventQuery { App = app, Newest = true, Limit = Math.Clamp(limit, 1, 500) }, ct).ConfigureAwait(false);
        return events.OrderByDescending(e => e.Id).Select(AppEndpoints.ToView).ToList();
    }

    public async Task<IAsyncEnumerable<EventView>?> FollowEventsAsync(HttpContext context, string app, long afterId, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        return denied is null ? Views(store.FollowEventsAsync(new EventQuery { App = app, AfterId = Math.Max(0, afterId) }, ct)) : null;

        static async IAsyncEnumerable<EventView> Views(IAsyncEnumerable<EventRecord> records)
        {
            await foreach (var record in records.ConfigureAwait(false))
            {
                yield return AppEndpoints.ToView(record);
            }
        }
    }
}
