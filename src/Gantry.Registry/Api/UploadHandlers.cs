using Gantry.Registry.Auth;
using Gantry.Registry.Content;
using Gantry.Registry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Registry.Api;

/// <summary>
/// The push side of blobs: POST (monolithic with ?digest=, cross-repository mount, or a new session), PATCH
/// (chunks with Content-Range, or one streamed body as docker sends), PUT ?digest= to finish, GET status, DELETE.
/// </summary>
public sealed class UploadHandlers(RegistryCore core, RequestAuthorizer authorizer)
{
    public async Task StartAsync(HttpContext context, string repository)
    {
        IQueryCollection query = context.Request.Query;
        string? mount = query["mount"];
        string? from = query["from"];
        if (mount is not null && from is not null && await TryMountAsync(context, repository, mount, from).ConfigureAwait(false))
        {
            return;
        }

        string? digestParam = query["digest"];
        if (digestParam is not null)
        {
            if (!Digest.TryParse(digestParam, out Digest digest))
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"?digest='{digestParam}' is not a valid sha256 or sha512 digest")).ConfigureAwait(false);
                return;
            }

            UploadSession monolithic = core.Uploads.Create(repository);
            if (!await AppendAsync(context, monolithic, closeOnFailure: true).ConfigureAwait(false))
            {
                return;
            }

            await FinishAsync(context, repository, monolithic, digest).ConfigureAwait(false);
            return;
        }

        UploadSession session = core.Uploads.Create(repository);
        context.Response.StatusCode = 202;
        WriteSessionHeaders(context.Response, repository, session);
    }

    private async ValueTask<bool> TryMountAsync(HttpContext context, string repository, string mount, string from)
    {
        CancellationToken ct = context.RequestAborted;
        if (!Digest.TryParse(mount, out _) || !ReferenceGrammar.IsValidName(from))
        {
            return false;
        }

        AuthorizationResult canPull = await authorizer.AuthorizeAsync(context, from, RegistryActions.Pull, catalog: false).ConfigureAwait(false);
        if (!canPull.Allowed
            || !await core.Metadata.IsBlobLinkedAsync(from, mount, ct).ConfigureAwait(false)
            || !await core.Blobs.TouchIfExistsAsync(mount, ct).ConfigureAwait(false))
        {
            // The spec's fallback: when a mount cannot happen, start an ordinary upload session instead.
            return false;
        }

        await core.Metadata.LinkBlobAsync(repository, mount, ct).ConfigureAwait(false);
        context.Response.StatusCode = 201;
        context.Response.Headers.Location = $"/v2/{repository}/blobs/{mount}";
        context.Response.Headers["Docker-Content-Digest"] = mount;
        context.Response.ContentLength = 0;
        return true;
    }

    public async Task PatchAsync(HttpContext context, string repository, string id)
    {
        UploadSession? session = core.Uploads.Find(repository, id);
        if (session is null)
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
            return;
        }

        await session.Gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (session.Closed)
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
                return;
            }

            string? range = context.Request.Headers.ContentRange;
            if (!string.IsNullOrEmpty(range))
            {
                RegistryError? rangeError = CheckRange(range, context.Request.ContentLength, session);
                if (rangeError is not null)
                {
                    WriteSessionHeaders(context.Response, repository, session);
                    await ApiResponses.WriteErrorAsync(context, rangeError).ConfigureAwait(false);
                    return;
                }
            }

            if (!await AppendAsync(context, session, closeOnFailure: false).ConfigureAwait(false))
            {
                return;
            }

            context.Response.StatusCode = 202;
            WriteSessionHeaders(context.Response, repository, session);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private static RegistryError? CheckRange(string range, long? contentLength, UploadSession session)
    {
        if (!ContentRange.TryParse(range, out long start, out long end))
        {
            return RegistryError.RangeInvalid($"Content-Range '{range}' is not of the form '<start>-<end>'");
        }

        if (start != session.Offset)
        {
            return RegistryError.RangeInvalid($"chunk starts at byte {start} but the upload has {session.Offset} bytes; send the chunk starting at {session.Offset} (GET the upload URL for its Range)");
        }

        if (contentLength is { } length && length != end - start + 1)
        {
            return RegistryError.SizeInvalid($"Content-Range {start}-{end} announces {end - start + 1} bytes but Content-Length is {length}");
        }

        return null;
    }

    public async Task PutAsync(HttpContext context, string repository, string id)
    {
        UploadSession? session = core.Uploads.Find(repository, id);
        if (session is null)
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
            return;
        }

        string? digestParam = context.Request.Query["digest"];
        if (!Digest.TryParse(digestParam, out Digest digest))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"finishing an upload needs ?digest=<sha256:...>; got '{digestParam}'")).ConfigureAwait(false);
            return;
        }

        await session.Gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (session.Closed)
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
                return;
            }

            string? range = context.Request.Headers.ContentRange;
            if (!string.IsNullOrEmpty(range) && CheckRange(range, context.Request.ContentLength, session) is { } rangeError)
            {
                await ApiResponses.WriteErrorAsync(context, rangeError).ConfigureAwait(false);
                return;
            }

            if (await AppendAsync(context, session, closeOnFailure: false).ConfigureAwait(false))
            {
                await FinishAsync(context, repository, session, digest).ConfigureAwait(false);
            }
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task FinishAsync(HttpContext context, string repository, UploadSession session, Digest digest)
    {
        RegistryError? error = await core.Uploads.CompleteAsync(session, digest, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        string d = digest.ToString();
        await core.Metadata.LinkBlobAsync(repository, d, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 201;
        context.Response.Headers.Location = $"/v2/{repository}/blobs/{d}";
        context.Response.Headers["Docker-Content-Digest"] = d;
        context.Response.ContentLength = 0;
    }

    /// <summary>Streams the body into the session; on failure answers the client (if it is still there) and returns false.</summary>
    private async ValueTask<bool> AppendAsync(HttpContext context, UploadSession session, bool closeOnFailure)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        try
        {
            await core.Uploads.AppendAsync(session, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            if (closeOnFailure)
            {
                core.Uploads.Close(session);
            }

            if (StorageErrors.IsDiskFull(ex))
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.StorageFull()).ConfigureAwait(false);
            }
            else if (!context.RequestAborted.IsCancellationRequested)
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.UploadInvalid(
                    $"the request body ended early ({ex.Message}); {session.Offset} bytes are stored, GET the upload URL and resume from there")).ConfigureAwait(false);
            }

            return false;
        }
    }

    public async Task StatusAsync(HttpContext context, string repository, string id)
    {
        UploadSession? session = core.Uploads.Find(repository, id);
        if (session is null)
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
        WriteSessionHeaders(context.Response, repository, session);
    }

    public async Task CancelAsync(HttpContext context, string repository, string id)
    {
        UploadSession? session = core.Uploads.Find(repository, id);
        if (session is null)
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.UploadUnknown(id)).ConfigureAwait(false);
            return;
        }

        await session.Gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            core.Uploads.Close(session);
        }
        finally
        {
            session.Gate.Release();
        }

        context.Response.StatusCode = 204;
    }

    private static void WriteSessionHeaders(HttpResponse response, string repository, UploadSession session)
    {
        response.Headers.Location = $"/v2/{repository}/blobs/uploads/{session.Id}";
        response.Headers["Docker-Upload-UUID"] = session.Id;
        // The spec's inclusive range; an empty upload reports "0-0" as the reference registry does.
        response.Headers.Range = $"0-{Math.Max(0, session.Offset - 1)}";
        response.Headers["OCI-Chunk-Min-Length"] = "0";
        response.ContentLength = 0;
    }
}
