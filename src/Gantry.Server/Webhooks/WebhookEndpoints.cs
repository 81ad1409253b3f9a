using System.Text.Json;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Webhooks;

/// <summary>
/// `PUT|GET /api/v1/apps/{app}/source` (admins: the external repository an app follows) and `POST /api/v1/webhooks/{app}`
/// (anyone: a forge's push webhook, which must prove the app's secret).
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>A push event is a few KiB; GitHub caps payloads at 25 MB, but Gantry reads only ref and after.</summary>
    public const int MaxBodyBytes = 4 << 20;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/api/v1/apps/{app}/source", SetAsync).WithTags("webhooks").WithName("SetRepositorySource").Access(AccessKind.Admin);
        routes.MapGet("/api/v1/apps/{app}/source", GetAsync).WithTags("webhooks").WithName("GetRepositorySource").Access(AccessKind.Admin);
        routes.MapPost("/api/v1/webhooks/{app}", ReceiveAsync).WithTags("webhooks").WithName("ReceiveWebhook").Access(AccessKind.Public);
        return routes;
    }

    private static async Task<IResult> SetAsync(string app, HttpContext context, WebhookService webhooks)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Results.Text($"the body is not JSON ({e.Message}): send {{\"url\": ..., \"branch\": \"main\", \"secret\": ...}}\n", statusCode: 400);
        }
        var caller = context.Principal().Name;
        var (status, text) = await webhooks.SetSourceAsync(app, body, caller, context.RequestAborted);
        return Results.Text(text.EndsWith('\n') ? text : text + "\n", statusCode: status);
    }

    private static async Task<IResult> GetAsync(string app, WebhookService webhooks, CancellationToken ct)
    {
        var (status, text) = await webhooks.GetSourceAsync(app, ct);
        return Results.Text(text.EndsWith('\n') ? text : text + "\n", statusCode: status);
    }

    private static async Task<IResult> ReceiveAsync(string app, HttpContext context, WebhookService webhooks)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 << 10];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return Results.Text($"the delivery is over {MaxBodyBytes >> 20} MiB\n", statusCode: 413);
            }
            buffer.Write(chunk, 0, read);
        }
        var headers = context.Request.Headers;
        var (status, text) = await webhooks.ReceiveAsync(app, name => headers.TryGetValue(name, out var v) ? v.ToString() : null, buffer.ToArray(), context.RequestAborted);
        return Results.Text(text + "\n", statusCode: status);
    }
}
