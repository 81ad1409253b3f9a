using System.Text.Json;
using Gantry.Model.Api;
using Gantry.Model.Api.Registry;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Registry;

/// <summary>
/// The /api/v1/registry group (`gantry registry`): repositories and their tags for whoever may pull them, deletes for whoever
/// may delete there, retention rules, collection runs and a
/// collection's preview (`gc/preview`, admins: it names every team's images). Open to every user at the gate; <see cref="RegistryService"/> applies
/// the registry's grants per repository (another team's is 404) and keeps rule changes and collections to admins.
/// </summary>
public static class RegistryEndpoints
{
    private const string InvalidTitle = "Invalid registry request";

    public static RouteGroupBuilder MapRegistryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/registry").WithTags("registry");
        group.MapGet("/repositories", ListAsync).WithName("RegistryRepositories").Access(AccessKind.AnyUser);
        group.MapGet("/repositories/{**repository}", GetAsync).WithName("RegistryRepository").Access(AccessKind.AnyUser);
        group.MapDelete("/images/{**image}", DeleteAsync).WithName("RegistryImageDelete").Access(AccessKind.AnyUser);
        group.MapGet("/retention", RetentionAsync).WithName("RegistryRetention").Access(AccessKind.AnyUser);
        group.MapPut("/retention", SetRetentionAsync).WithName("RegistryRetentionSet").Access(AccessKind.Admin);
        group.MapDelete("/retention/{**pattern}", RemoveRetentionAsync).WithName("RegistryRetentionRemove").Access(AccessKind.Admin);
        group.MapGet("/gc", async (RegistryService registry, CancellationToken ct) => Results.Json(await registry.RunsAsync(ct), ApiJsonContext.Default.IReadOnlyListGcRunView))
            .WithName("RegistryGcRuns").Access(AccessKind.AnyUser);
        group.MapGet("/gc/preview", PreviewGcAsync).WithName("RegistryGcPreview").Access(AccessKind.Admin);
        group.MapPost("/gc", RunGcAsync).WithName("RegistryGcRun").Access(AccessKind.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext context, RegistryService registry, CancellationToken ct) =>
        Results.Json(await registry.ListRepositoriesAsync(context.Principal(), ct), ApiJsonContext.Default.IReadOnlyListRepositoryView);

    private static async Task<IResult> GetAsync(string repository, HttpContext context, RegistryService registry, CancellationToken ct) =>
        ApiResults.FromOutcome(await registry.GetRepositoryAsync(context.Principal(), repository, ct), "Reading", InvalidTitle,
            detail => Results.Json(detail, ApiJsonContext.Default.RepositoryDetail));

    private static async Task<IResult> DeleteAsync(string image, HttpContext context, RegistryService registry, CancellationToken ct) =>
        ApiResults.FromOutcome(await registry.DeleteAsync(context.Principal(), image, ct), "Delete", InvalidTitle,
            deleted => Results.Json(deleted, ApiJsonContext.Default.ImageDeleted));

    private static async Task<IResult> RetentionAsync(HttpContext context, RegistryService registry, CancellationToken ct) =>
        Results.Json(await registry.RetentionAsync(context.Principal(), ct), ApiJsonContext.Default.IReadOnlyListRetentionRuleView);

    private static async Task<IResult> SetRetentionAsync(HttpContext context, RegistryService registry, CancellationToken ct)
    {
        var (rule, bad) = await ApiResults.ReadJsonAsync(context, ApiJsonContext.Default.RetentionRuleView,
            "a retention rule ({\"repository\": \"team/*\", \"keepLast\": 10, \"keepMatching\": \"^v\"})", ct);
        if (bad is not null)
        {
            return bad;
        }
        if (rule is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "the body is empty: send a retention rule ({\"repository\": \"team/*\", \"keepLast\": 10})");
        }
        return ApiResults.FromOutcome(await registry.SetRetentionAsync(context.Principal(), rule, ct), "Retention", InvalidTitle,
            view => Results.Json(view, ApiJsonContext.Default.RetentionRuleView));
    }

    private static async Task<IResult> RemoveRetentionAsync(string pattern, HttpContext context, RegistryService registry, CancellationToken ct) =>
        ApiResults.FromOutcome(await registry.RemoveRetentionAsync(context.Principal(), pattern, ct), "Retention", InvalidTitle,
            view => Results.Json(view, ApiJsonContext.Default.RetentionRuleView));

    private static async Task<IResult> PreviewGcAsync(HttpContext context, RegistryService registry, CancellationToken ct) =>
        ApiResults.FromOutcome(await registry.PreviewGcAsync(context.Principal(), ct), "Garbage collection", InvalidTitle,
            preview => Results.Json(preview, ApiJsonContext.Default.GcPreviewView));

    private static async Task<IResult> RunGcAsync(HttpContext context, RegistryService registry, CancellationToken ct) =>
        ApiResults.FromOutcome(await registry.RunGcAsync(context.Principal(), ct), "Garbage collection", InvalidTitle,
            run => Results.Json(run, ApiJsonContext.Default.GcRunView));
}
