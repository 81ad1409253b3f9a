using Gantry.Model.Api.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Registry;

/// <summary>
/// The built-in registry for the Registry pages, implemented by the server with the service `/api/v1/registry` calls, under
/// the registry's own grants: repositories the user may pull (another team's is the same 404 as a missing one), deletes for
/// whoever holds the delete grant (admins), retention rules and collection runs (admins change rules and start runs),
/// checked again on every call whatever the page showed.
/// </summary>
public interface IConsoleRegistry
{
    Task<IReadOnlyList<RepositoryView>> RepositoriesAsync(HttpContext context, CancellationToken ct);

    /// <summary>The repository's tags and rules, or the API's 404 when the user may not pull it or it does not exist.</summary>
    Task<ConsoleChange<RepositoryDetail>> RepositoryAsync(HttpContext context, string repository, CancellationToken ct);

    /// <summary>`gantry registry rm REPO:TAG|REPO@DIGEST`.</summary>
    Task<ConsoleChange<ImageDeleted>> DeleteAsync(HttpContext context, string reference, CancellationToken ct);

    /// <summary>The rules the user may see (`gantry registry retention`).</summary>
    Task<IReadOnlyList<RetentionRuleView>> RetentionAsync(HttpContext context, CancellationToken ct);

    /// <summary>`gantry registry retention set`; admins only.</summary>
    Task<ConsoleChange<RetentionRuleView>> SetRetentionAsync(HttpContext context, RetentionRuleView rule, CancellationToken ct);

    /// <summary>`gantry registry retention rm`; admins only.</summary>
    Task<ConsoleChange<RetentionRuleView>> RemoveRetentionAsync(HttpContext context, string pattern, CancellationToken ct);

    /// <summary>The collector's runs, newest first (`gantry registry gc`): the kept ones and this process's.</summary>
    Task<IReadOnlyList<GcRunView>> RunsAsync(HttpContext context, CancellationToken ct);

    /// <summary>`gantry registry gc run --dry-run`: what a run would delete, without deleting; admins only.</summary>
    Task<ConsoleChange<GcPreviewView>> PreviewGcAsync(HttpContext context, CancellationToken ct);

    /// <summary>`gantry registry gc run`; admins only; answers with the finished run.</summary>
    Task<ConsoleChange<GcRunView>> RunGcAsync(HttpContext context, CancellationToken ct);
}
