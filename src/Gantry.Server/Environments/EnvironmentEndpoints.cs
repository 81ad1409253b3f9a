using System.Text;
using System.Text.Json;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Environments;

/// <summary>
/// `/api/v1/apps/{app}/environments...` (list, variables, secrets, gates), `/api/v1/apps/{app}/pipelines` and `/api/v1/apps/{app}/promote`. A secret's value comes
/// in as the raw body of one PUT and never goes out: answers carry names and versions only.
/// </summary>
public static class EnvironmentEndpoints
{
    public static IEndpointRouteBuilder MapEnvironmentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/environments", ListAsync).WithTags("environments").WithName("ListEnvironments").Access(AccessKind.App);
        routes.MapPatch("/api/v1/apps/{app}/environments/{env}/variables", VariablesAsync).WithTags("environments").WithName("ChangeVariables").Access(AccessKind.App, Role.Deployer);
        routes.MapPut("/api/v1/apps/{app}/environments/{env}/secrets/{name}", SetSecretAsync).WithTags("environments").WithName("SetSecret").Access(AccessKind.App, Role.Deployer);
        routes.MapDelete("/api/v1/apps/{app}/environments/{env}/secrets/{name}", UnsetSecretAsync).WithTags("environments").WithName("UnsetSecret").Access(AccessKind.App, Role.Deployer);
        routes.MapPut("/api/v1/apps/{app}/environments/{env}/gate", SetGateAsync).WithTags("environments").WithName("SetGate").Access(AccessKind.App, Role.Deployer);
        routes.MapDelete("/api/v1/apps/{app}/environments/{env}/gate", RemoveGateAsync).WithTags("environments").WithName("RemoveGate").Access(AccessKind.App, Role.Deployer);
        routes.MapGet("/api/v1/apps/{app}/pipelines", PipelinesAsync).WithTags("environments").WithName("ListPipelines").Access(AccessKind.App);
        routes.MapPost("/api/v1/apps/{app}/promote", PromoteAsync).WithTags("environments").WithName("Promote").Access(AccessKind.App, Role.Deployer);
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, EnvironmentService environments, CancellationToken ct) =>
        await environments.ListAsync(app, ct) is { } views
            ? Results.Json(views, ApiJsonContext.Default.IReadOnlyListEnvironmentView)
            : ApiResults.NotFound($"app '{app}' does not exist (nothing deployed and no environment set up)");

    private static async Task<IResult> VariablesAsync(string app, string env, HttpContext context, EnvironmentService environments, CancellationToken ct)
    {
        var (change, bad) = await ApiResults.ReadJsonAsync(context, ApiJsonContext.Default.VariablesChange, "a variables change ({\"set\": {\"KEY\": \"value\"}, \"unset\": [\"OLD\"]})", ct);
        if (bad is not null)
        {
            return bad;
        }
        var outcome = await environments.ChangeVariablesAsync(app, env, change ?? new VariablesChange(), TeamOf(context.Principal()), ct);
        return ApiResults.FromOutcome(outcome, "Variables change", "Invalid variables", view => Results.Json(view, ApiJsonContext.Default.EnvironmentView));
    }

    private static async Task<IResult> SetSecretAsync(string app, string env, string name, HttpContext context, EnvironmentService environments, CancellationToken ct)
    {
        // Read with a bound: a secret is a password or a key file, not an upload.
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > EnvironmentEdits.MaxSecretBytes)
            {
                return ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, "Secret too large", $"secret '{name}' is over {EnvironmentEdits.MaxSecretBytes} bytes: mount bigger files as a volume");
            }
        }
        string value;
        try
        {
            value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, "Invalid secret", $"secret '{name}' is not UTF-8 text: encode binary values (base64) and decode them in the app");
        }
        finally
        {
            Array.Clear(buffer.GetBuffer());
        }
        var outcome = await environments.SetSecretAsync(app, env, name, value, context.Principal().Name, TeamOf(context.Principal()), ct);
        return ApiResults.FromOutcome(outcome, "Secret", "Invalid secret", set => Results.Json(set, ApiJsonContext.Default.SecretSetResponse));
    }

    private static async Task<IResult> UnsetSecretAsync(string app, string env, string name, HttpContext context, EnvironmentService environments, CancellationToken ct)
    {
        var outcome = await environments.UnsetSecretAsync(app, env, name, ct);
        return ApiResults.FromOutcome(outcome, "Secret removal", "Invalid secret", removed => Results.Json(removed, ApiJsonContext.Default.SecretSetResponse));
    }

    /// <summary>The team an environment set up before its app exists is recorded under: an admin's "default", else the caller's only deployer team.</summary>
    private static string? TeamOf(Identity.Principal caller)
    {
        if (caller.IsAdmin)
        {
            return Model.AppSpec.DefaultTeam;
        }
        var teams = caller.Teams.Where(t => t.Value >= Role.Deployer).Select(t => t.Key).ToList();
        return teams.Count == 1 ? teams[0] : null;
    }

    private static async Task<IResult> SetGateAsync(string app, string env, HttpContext context, EnvironmentService environments, CancellationToken ct)
    {
        var (request, bad) = await ApiResults.ReadJsonAsync(context, ApiJsonContext.Default.GateRequest, "a gate ({\"to\": \"production\", \"mode\": \"auto\"})", ct);
        if (bad is not null)
        {
            return bad;
        }
        request ??= new GateRequest();
        var outcome = await environments.SetGateAsync(app, env, new Model.Environments.PromotionGate(request.To, request.Mode), TeamOf(context.Principal()), ct);
        return ApiResults.FromOutcome(outcome, "Gate", "Invalid gate", view => Results.Json(view, ApiJsonContext.Default.EnvironmentView));
    }

    private static async Task<IResult> RemoveGateAsync(string app, string env, HttpContext context, EnvironmentService environments, CancellationToken ct)
    {
        var outcome = await environments.SetGateAsync(app, env, null, TeamOf(context.Principal()), ct);
        return ApiResults.FromOutcome(outcome, "Gate", "Invalid gate", view => Results.Json(view, ApiJsonContext.Default.EnvironmentView));
    }

    private static async Task<IResult> PipelinesAsync(string app, AutoPromoter pipelines, CancellationToken ct) =>
        await pipelines.PipelinesAsync(app, ct) is { } runs
            ? Results.Json(runs, ApiJsonContext.Default.IReadOnlyListPipelineRun)
            : ApiResults.NotFound($"app '{app}' does not exist (nothing deployed and no environment set up)");

    private static async Task<IResult> PromoteAsync(string app, HttpContext context, Promotion promotion, CancellationToken ct)
    {
        var (request, bad) = await ApiResults.ReadJsonAsync(context, ApiJsonContext.Default.PromoteRequest, "a promotion ({\"from\": \"staging\", \"to\": \"production\"})", ct);
        if (bad is not null)
        {
            return bad;
        }
        var outcome = await promotion.PromoteAsync(app, request ?? new PromoteRequest(), context.Principal(), ct);
        return BundleDeployer.Problem(outcome) is { } problem ? ApiResults.Problem(problem)
            : Results.Json(outcome.Response!, ApiJsonContext.Default.DeployResponse, statusCode: StatusCodes.Status202Accepted);
    }
}
