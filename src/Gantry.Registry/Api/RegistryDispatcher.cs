using Gantry.Registry.Auth;
using Gantry.Registry.Content;
using Gantry.Registry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Api;

/// <summary>
/// The single entry point for /v2/*: parses the path from its end (names contain slashes), validates the name,
/// authorizes the action the method implies, and hands the request to the resource's handler.
/// </summary>
public sealed partial class RegistryDispatcher(
    RequestAuthorizer authorizer,
    ManifestHandlers manifests,
    BlobHandlers blobs,
    UploadHandlers uploads,
    ListingHandlers listings,
    ILogger<RegistryDispatcher> logger)
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        string path = context.Request.Path.Value ?? string.Empty;
        path = path.Length <= 4 ? string.Empty : path[4..];
        RegistryRoute route = RegistryRoute.Parse(path);
        string method = context.Request.Method;
        try
        {
            await DispatchAsync(context, route, method).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsDiskFull(ex))
        {
            LogDiskFull(logger, ex, method, path);
            await ApiResponses.WriteErrorAsync(context, RegistryError.StorageFull()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, method, path);
            await ApiResponses.WriteErrorAsync(context, new RegistryError(500, "UNKNOWN", "the registry failed to handle the request; see its log", DebugDetail ? ex.ToString() : null)).ConfigureAwait(false);
        }
    }

    /// <summary>Tests turn this on to see the exception in the error detail; off in production so internals do not leak.</summary>
    internal static bool DebugDetail { get; set; }

    private async Task DispatchAsync(HttpContext context, RegistryRoute route, string method)
    {
        if (route.Kind == RegistryRouteKind.Unknown)
        {
            await ApiResponses.WriteErrorAsync(context, new RegistryError(404, "NAME_UNKNOWN", $"'{context.Request.Path}' is not a registry API path")).ConfigureAwait(false);
            return;
        }

        bool catalog = route.Kind == RegistryRouteKind.Catalog;
        string? repository = route.Kind is RegistryRouteKind.Base or RegistryRouteKind.Catalog ? null : route.Name;
        if (repository is not null && !ReferenceGrammar.IsValidName(repository))
        {
            await ApiResponses.WriteErrorAsync(context, new RegistryError(400, "NAME_INVALID",
                $"repository name '{repository}' is invalid: use lowercase letters, digits and separators ('.', '_', '__', '-') in '/'-separated components, at most {ReferenceGrammar.MaxNameLength} characters")).ConfigureAwait(false);
            return;
        }

        RegistryActions needed = route.Kind switch
        {
            RegistryRouteKind.Base => RegistryActions.None,
            RegistryRouteKind.Upload or RegistryRouteKind.UploadStart => RegistryActions.Push,
            _ => ActionFor(method),
        };
        AuthorizationResult auth = await authorizer.AuthorizeAsync(context, repository, needed, catalog).ConfigureAwait(false);
        if (!auth.Allowed)
        {
            if (auth.Challenge is not null)
            {
                context.Response.Headers.WWWAuthenticate = auth.Challenge;
            }

            await ApiResponses.WriteErrorAsync(context, auth.Error!).ConfigureAwait(false);
            return;
        }

        bool get = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        string name = route.Name;
        string reference = route.Reference;
        Task? handled = route.Kind switch
        {
            RegistryRouteKind.Base when get => WriteBaseAsync(context),
            RegistryRouteKind.Catalog when get => listings.CatalogAsync(context),
            RegistryRouteKind.Tags when get => listings.TagsAsync(context, name),
            RegistryRouteKind.Referrers when get => listings.ReferrersAsync(context, name, reference),
            RegistryRouteKind.Manifest when get => manifests.GetAsync(context, name, reference),
            RegistryRouteKind.Manifest when HttpMethods.IsPut(method) => manifests.PutAsync(context, name, reference, auth.Actor),
            RegistryRouteKind.Manifest when HttpMethods.IsDelete(method) => manifests.DeleteAsync(context, name, reference, auth.Actor),
            RegistryRouteKind.Blob when get => blobs.GetAsync(context, name, reference),
            RegistryRouteKind.Blob when HttpMethods.IsDelete(method) => blobs.DeleteAsync(context, name, reference, auth.Actor),
            RegistryRouteKind.UploadStart when HttpMethods.IsPost(method) => uploads.StartAsync(context, name),
            RegistryRouteKind.Upload when HttpMethods.IsPatch(method) => uploads.PatchAsync(context, name, reference),
            RegistryRouteKind.Upload when HttpMethods.IsPut(method) => uploads.PutAsync(context, name, reference),
            RegistryRouteKind.Upload when HttpMethods.IsGet(method) => uploads.StatusAsync(context, name, reference),
            RegistryRouteKind.Upload when HttpMethods.IsDelete(method) => uploads.CancelAsync(context, name, reference),
            _ => null,
        };
        if (handled is null)
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.Unsupported($"{method} is not supported on {context.Request.Path}")).ConfigureAwait(false);
            return;
        }

        await handled.ConfigureAwait(false);
    }

    private static RegistryActions ActionFor(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? RegistryActions.Pull
        : HttpMethods.IsDelete(method) ? RegistryActions.Delete
        : RegistryActions.Push;

    private static async Task WriteBaseAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = EmptyObject.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(EmptyObject).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Registry request {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string method, string path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Registry storage is full during {Method} {Path}; answered 507 and stored nothing")]
    private static partial void LogDiskFull(ILogger logger, Exception ex, string method, string path);
}
