using Gantry.Console;
using Gantry.Console.Releases;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Model.Releases;
using Gantry.Server.Auth;
using Gantry.Server.Releases;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>The console's Releases page and rollback: the API's <see cref="ReleaseQuery"/> and <see cref="ReleaseService"/>, behind the API's access rule.</summary>
public sealed class ConsoleReleases(ReleaseQuery query, ReleaseService releases, IResourceStore store, Environments.EnvironmentService environments,
    Environments.AutoPromoter pipelines) : IConsoleReleases
{
    private const string Verb = ReleaseEndpoints.RollbackVerb;
    private const string InvalidTitle = ReleaseEndpoints.InvalidRollbackTitle;

    public async Task<IReadOnlyList<ReleaseView>?> ListAsync(HttpContext context, string app, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        return denied is null ? await query.ListAsync(app, withChanges: true, ct).ConfigureAwait(false) : null;
    }

    public async Task<IReadOnlyList<PipelineRun>?> PipelinesAsync(HttpContext context, string app, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return null;
        }
        var owner = (await environments.ForInstanceAsync(app, ct).ConfigureAwait(false))?.App ?? app;
        return await pipelines.PipelinesAsync(owner, ct).ConfigureAwait(false) ?? [];
    }

    public async Task<ConsoleChange<RollbackPreview>> PreviewRollbackAsync(HttpContext context, string app, long? to, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Deployer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return ConsoleChange<RollbackPreview>.Failed(denied);
        }
        var outcome = await releases.PreviewRollbackAsync(app, to, ct).ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, Verb, InvalidTitle) is { } problem
            ? ConsoleChange<RollbackPreview>.Failed(problem)
            : ConsoleChange<RollbackPreview>.Done(outcome.Response!);
    }

    public async Task<ConsoleChange<RollbackResponse>> RollbackAsync(HttpContext context, string app, long? to, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Deployer, ct).ConfigureAwait(false);
        if (denied is not null)
        {
            return ConsoleChange<RollbackResponse>.Failed(denied);
        }
        var outcome = await releases.RollbackAsync(app, to, ReleaseCauses.Rollback, context.Principal().Name, null, ct).ConfigureAwait(false);
        return ApiResults.ProblemOf(outcome, Verb, InvalidTitle) is { } problem
            ? ConsoleChange<RollbackResponse>.Failed(problem)
            : ConsoleChange<RollbackResponse>.Done(outcome.Response!);
    }
}
