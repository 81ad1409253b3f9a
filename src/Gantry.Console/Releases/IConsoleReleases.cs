using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Releases;

/// <summary>
/// An app's releases and its rollback, implemented by the server with the API's release query and rollback service
/// (`gantry releases`, `gantry release APP N`, `gantry rollback`): same list, same masked diffs, same decision.
/// </summary>
public interface IConsoleReleases
{
    /// <summary>The releases newest first, each with its (masked) diff against the one before; null when the user may not see the app.</summary>
    Task<IReadOnlyList<ReleaseView>?> ListAsync(HttpContext context, string app, CancellationToken ct);

    /// <summary>
    /// The pipeline of the app this one is an environment of (`gantry pipelines`, docs/decisions/0032): its pushed commits,
    /// newest first, with their builds and releases per environment; null when the user may not see the app, empty when
    /// nothing was pushed.
    /// </summary>
    Task<IReadOnlyList<PipelineRun>?> PipelinesAsync(HttpContext context, string app, CancellationToken ct);

    /// <summary>What a rollback to <paramref name="to"/> (null: the release before the current one) would do; needs deployer.</summary>
    Task<ConsoleChange<RollbackPreview>> PreviewRollbackAsync(HttpContext context, string app, long? to, CancellationToken ct);

    /// <summary>Rolls back as `POST /api/v1/apps/{app}/rollback` does, recorded as the signed-in user's; needs deployer.</summary>
    Task<ConsoleChange<RollbackResponse>> RollbackAsync(HttpContext context, string app, long? to, CancellationToken ct);
}
