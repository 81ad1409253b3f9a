using Gantry.Registry.Content;
using Gantry.Registry.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gantry.Registry.Api;

/// <summary>GET/HEAD/DELETE of /v2/&lt;name&gt;/blobs/&lt;digest&gt;; bodies go out with Range support, through sendfile(2) where the connection allows it.</summary>
public sealed class BlobHandlers(RegistryCore core)
{
    public async Task GetAsync(HttpContext context, string repository, string reference)
    {
        CancellationToken ct = context.RequestAborted;
        if (!Digest.TryParse(reference, out Digest digest))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest")).ConfigureAwait(false);
            return;
        }

        string path = core.Blobs.PathFor(digest);
        var info = new FileInfo(path);
        if (!info.Exists || !await core.Metadata.IsBlobLinkedAsync(repository, reference, ct).ConfigureAwait(false))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.BlobUnknown(reference)).ConfigureAwait(false);
            return;
        }

        HttpResponse response = context.Response;
        response.Headers["Docker-Content-Digest"] = reference;
        response.Headers.ETag = "\"" + reference + "\"";
        response.Headers.CacheControl = "max-age=31536000";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // A HEAD is how clients decide to skip uploading a layer; refresh an old blob's mtime so a sweep cannot
            // delete it before the manifest that will reference it arrives.
            DateTime stale = (core.Time.GetUtcNow() - core.Options.UploadGracePeriod / 2).UtcDateTime;
            if (info.LastWriteTimeUtc < stale)
            {
                await core.Blobs.TouchIfExistsAsync(reference, ct).ConfigureAwait(false);
            }

            response.Headers.AcceptRanges = "bytes";
            response.ContentType = "application/octet-stream";
            response.ContentLength = info.Length;
            return;
        }

        // Results.File answers Range (206), unsatisfiable ranges (416) and conditional requests; on a plain-HTTP
        // connection set up by UseSocketSendFile the body then leaves with sendfile(2) instead of Kestrel's copy.
        SocketSendFileBodyFeature.TryInstall(context);
        await Results.File(path, "application/octet-stream", enableRangeProcessing: true,
            entityTag: new EntityTagHeaderValue("\"" + reference + "\"")).ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, string repository, string reference, string? actor)
    {
        if (!Digest.TryParse(reference, out _))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest")).ConfigureAwait(false);
            return;
        }

        if (!await core.Metadata.UnlinkBlobAsync(repository, reference, context.RequestAborted).ConfigureAwait(false))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.BlobUnknown(reference)).ConfigureAwait(false);
            return;
        }

        // The file itself stays until the garbage collector finds no manifest and no other repository needs it.
        core.Publish(RegistryEventAction.Delete, repository, reference, null, null, 0, actor);
        context.Response.StatusCode = 202;
        context.Response.ContentLength = 0;
    }
}
