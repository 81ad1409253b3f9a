using Gantry.Console;
using Gantry.Console.Registry;
using Gantry.Model.Api.Registry;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's Registry pages on <see cref="RegistryService"/>, what `/api/v1/registry` calls, with the session's principal:
/// the registry's grants per repository and the admins' rule for retention and collections are the service's, so the console
/// and the API answer with the same status and words.
/// </summary>
public sealed class ConsoleRegistry(RegistryService registry) : IConsoleRegistry
{
    private const string Invalid = "Invalid registry request";

    public Task<IReadOnlyList<RepositoryView>> RepositoriesAsync(HttpContext context, CancellationToken ct) =>
        registry.ListRepositoriesAsync(context.Principal(), ct);

    public async Task<ConsoleChange<RepositoryDetail>> RepositoryAsync(HttpContext context, string repository, CancellationToken ct) =>
        Change(await registry.GetRepositoryAsync(context.Principal(), repository, ct).ConfigureAwait(false), "Reading");

    public async Task<ConsoleChange<ImageDeleted>> DeleteAsync(HttpContext context, string reference, CancellationToken ct) =>
        Change(await registry.DeleteAsync(context.Principal(), reference, ct).ConfigureAwait(false), "Delete");

    public Task<IReadOnlyList<RetentionRuleView>> RetentionAsync(HttpContext context, CancellationToken ct) =>
        registry.RetentionAsync(context.Principal(), ct);

    public async Task<ConsoleChange<RetentionRuleView>> SetRetentionAsync(HttpContext context, RetentionRuleView rule, CancellationToken ct) =>
        Change(await registry.SetRetentionAsync(context.Principal(), rule, ct).ConfigureAwait(false), "Retention");

    public async Task<ConsoleChange<RetentionRuleView>> RemoveRetentionAsync(HttpContext context, string pattern, CancellationToken ct) =>
        Change(await registry.RemoveRetentionAsync(context.Principal(), pattern, ct).ConfigureAwait(false), "Retention");

    public Task<IReadOnlyList<GcRunView>> RunsAsync(HttpContext context, CancellationToken ct) => registry.RunsAsync(ct);

    public async Task<ConsoleChange<GcPreviewView>> PreviewGcAsync(HttpContext context, CancellationToken ct) =>
        Change(await registry.PreviewGcAsync(context.Principal(), ct).ConfigureAwait(false), "Garbage collection");

    public async Task<ConsoleChange<GcRunView>> RunGcAsync(HttpContext context, CancellationToken ct) =>
        Change(await registry.RunGcAsync(context.Principal(), ct).ConfigureAwait(false), "Garbage collection");

    private static ConsoleChange<T> Change<T>(ChangeOutcome<T> outcome, string verb) where T : class =>
        ApiResults.ProblemOf(outcome, verb, Invalid) is { } problem ? ConsoleChange<T>.Failed(problem) : ConsoleChange<T>.Done(outcome.Response!);
}
