using System.Text.Json;
using Gantry.Registry.Content;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Api;

/// <summary>Writes OCI error bodies (never a body on HEAD, where the status alone must speak).</summary>
public static class ApiResponses
{
    public static Task WriteErrorAsync(HttpContext context, RegistryError error) =>
        WriteErrorsAsync(context, error.Status, [new OciError(error.Code, error.Message, error.Detail)]);

    public static async Task WriteErrorsAsync(HttpContext context, int status, IReadOnlyList<OciError> errors)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new OciErrorBody(errors), RegistryJsonContext.Default.OciErrorBody);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    public static async Task WriteJsonAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string contentType = "application/json")
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(value, type);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
        }
    }
}
