using System.Security.Cryptography;
using Gantry.Registry.Browsing;
using Gantry.Registry.Content;
using Gantry.Registry.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Api;

/// <summary>GET/HEAD/PUT/DELETE of /v2/&lt;name&gt;/manifests/&lt;reference&gt;; the GET path is served from memory when hot.</summary>
public sealed class ManifestHandlers(RegistryCore core, RegistryBrowser browser)
{
    public async Task GetAsync(HttpContext context, string repository, string reference)
    {
        string key = ManifestCache.Key(repository, reference);
        if (!core.Cache.TryGet(key, out CachedManifest manifest))
        {
            long version = core.TagVersion;
            (CachedManifest? loaded, RegistryError? error) = await LoadAsync(repository, reference, context.RequestAborted).ConfigureAwait(false);
            if (loaded is null)
            {
                await ApiResponses.WriteErrorAsync(context, error!).ConfigureAwait(false);
                return;
            }

            manifest = loaded;
            core.Cache.Set(key, manifest);
            if (core.TagVersion != version)
            {
                core.Cache.Remove(key);
            }
        }

        HttpResponse response = context.Response;
        response.Headers.ContentType = manifest.MediaType;
        response.Headers["Docker-Content-Digest"] = manifest.Digest;
        response.Headers.ETag = manifest.ETag;
        response.ContentLength = manifest.Body.Length;
        if (context.Request.Headers.IfNoneMatch == manifest.ETag)
        {
            response.StatusCode = 304;
            response.ContentLength = null;
            return;
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async ValueTask<(CachedManifest?, RegistryError?)> LoadAsync(string repository, string reference, CancellationToken ct)
    {
        string? digest;
        if (Digest.LooksLikeDigest(reference))
        {
            if (!Digest.TryParse(reference, out _))
            {
                return (null, RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest"));
            }

            digest = reference;
        }
        else
        {
            if (!ReferenceGrammar.IsValidTag(reference))
            {
                return (null, new RegistryError(400, "TAG_INVALID", $"'{reference}' is not a valid tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')"));
            }

            digest = await core.Metadata.ResolveTagAsync(repository, reference, ct).ConfigureAwait(false);
        }

        ManifestRecord? record = digest is null ? null : await core.Metadata.GetManifestAsync(repository, digest, ct).ConfigureAwait(false);
        if (record is null)
        {
            bool exists = await core.Metadata.RepositoryExistsAsync(repository, ct).ConfigureAwait(false);
            return (null, exists ? RegistryError.ManifestUnknown(reference) : RegistryError.NameUnknown(repository));
        }

        try
        {
            byte[] body = await File.ReadAllBytesAsync(core.Blobs.PathFor(record.Digest), ct).ConfigureAwait(false);
            return (new CachedManifest(record.Digest, record.MediaType, body), null);
        }
        catch (FileNotFoundException)
        {
            return (null, RegistryError.ManifestUnknown(reference));
        }
        catch (DirectoryNotFoundException)
        {
            return (null, RegistryError.ManifestUnknown(reference));
        }
    }

    public async Task PutAsync(HttpContext context, string repository, string reference, string? actor)
    {
        CancellationToken ct = context.RequestAborted;
        bool byDigest = Digest.LooksLikeDigest(reference);
        Digest referenceDigest = default;
        if (byDigest ? !Digest.TryParse(reference, out referenceDigest) : !ReferenceGrammar.IsValidTag(reference))
        {
            await ApiResponses.WriteErrorAsync(context, byDigest
                ? RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest")
                : new RegistryError(400, "TAG_INVALID", $"'{reference}' is not a valid tag (letters, digits, '_', '.', '-', at most 128 characters, not starting with '.' or '-')")).ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > ManifestParser.MaxManifestBytes)
        {
            await ApiResponses.WriteErrorAsync(context, new RegistryError(413, "SIZE_INVALID", $"manifest is {context.Request.ContentLength} bytes; the limit is {ManifestParser.MaxManifestBytes}")).ConfigureAwait(false);
            return;
        }

        byte[]? body = await ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
        if (body is null)
        {
            await ApiResponses.WriteErrorAsync(context, new RegistryError(413, "SIZE_INVALID", $"manifest exceeds the limit of {ManifestParser.MaxManifestBytes} bytes")).ConfigureAwait(false);
            return;
        }

        ManifestParseResult parsed = ManifestParser.Parse(body, context.Request.ContentType);
        if (parsed.Manifest is not { } manifest)
        {
            await ApiResponses.WriteErrorAsync(context, new RegistryError(400, parsed.ErrorCode!, parsed.ErrorMessage!)).ConfigureAwait(false);
            return;
        }

        Digest digest = Digest.Compute(body);
        if (byDigest)
        {
            Digest check = referenceDigest.Algorithm == "sha512" ? Digest.FromHash("sha512", SHA512.HashData(body)) : digest;
            if (check != referenceDigest)
            {
                await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"the manifest body has digest {check}, not {reference} named in the URL")).ConfigureAwait(false);
                return;
            }
        }

        List<OciError> missing = await FindMissingAsync(repository, manifest, ct).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            await ApiResponses.WriteErrorsAsync(context, 400, missing).ConfigureAwait(false);
            return;
        }

        await core.Blobs.PutBytesAsync(digest, body, ct).ConfigureAwait(false);
        string storedDigest = byDigest ? reference : digest.ToString();
        if (byDigest && referenceDigest.Algorithm == "sha512")
        {
            await core.Blobs.PutBytesAsync(referenceDigest, body, ct).ConfigureAwait(false);
        }

        var record = new ManifestRecord(repository, storedDigest, manifest.MediaType, body.Length, manifest.ArtifactType,
            manifest.SubjectDigest, manifest.AnnotationsJson, core.Time.GetUtcNow(), actor);
        await core.Metadata.PutManifestAsync(record, [.. manifest.BlobDigests, .. manifest.ManifestDigests], byDigest ? null : reference, ct).ConfigureAwait(false);
        if (!byDigest)
        {
            core.InvalidateTag(repository, reference);
        }

        core.Publish(RegistryEventAction.Push, repository, storedDigest, byDigest ? null : reference, manifest.MediaType, body.Length, actor);
        HttpResponse response = context.Response;
        response.StatusCode = 201;
        response.Headers.Location = $"/v2/{repository}/manifests/{storedDigest}";
        response.Headers["Docker-Content-Digest"] = storedDigest;
        if (manifest.SubjectDigest is not null)
        {
            response.Headers["OCI-Subject"] = manifest.SubjectDigest;
        }

        response.ContentLength = 0;
    }

    /// <summary>Every referenced blob must be in this repository and every child manifest too; blobs are touched so a running sweep keeps them.</summary>
    private async ValueTask<List<OciError>> FindMissingAsync(string repository, ParsedManifest manifest, CancellationToken ct)
    {
        var missing = new List<OciError>();
        foreach (string blob in manifest.BlobDigests.Distinct(StringComparer.Ordinal))
        {
            if (!await core.Metadata.IsBlobLinkedAsync(repository, blob, ct).ConfigureAwait(false)
                || !await core.Blobs.TouchIfExistsAsync(blob, ct).ConfigureAwait(false))
            {
                missing.Add(new OciError("MANIFEST_BLOB_UNKNOWN", $"blob {blob} referenced by the manifest is not in repository '{repository}'; push it first", blob));
            }
        }

        foreach (string child in manifest.ManifestDigests.Distinct(StringComparer.Ordinal))
        {
            if (await core.Metadata.GetManifestAsync(repository, child, ct).ConfigureAwait(false) is null
                || !await core.Blobs.TouchIfExistsAsync(child, ct).ConfigureAwait(false))
            {
                missing.Add(new OciError("MANIFEST_BLOB_UNKNOWN", $"manifest {child} listed in the index is not in repository '{repository}'; push it (by digest) first", child));
            }
        }

        return missing;
    }

    private static async ValueTask<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= ManifestParser.MaxManifestBytes ? (int)request.ContentLength : 4096);
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > ManifestParser.MaxManifestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public async Task DeleteAsync(HttpContext context, string repository, string reference, string? actor)
    {
        ImageDeletion deletion = await browser.DeleteAsync(repository, reference, actor, context.RequestAborted).ConfigureAwait(false);
        switch (deletion.Result)
        {
            case ImageDeletionResult.InvalidReference:
                await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest")).ConfigureAwait(false);
                return;
            case ImageDeletionResult.NotFound:
                await ApiResponses.WriteErrorAsync(context, RegistryError.ManifestUnknown(reference)).ConfigureAwait(false);
                return;
        }

        context.Response.StatusCode = 202;
        context.Response.ContentLength = 0;
    }
}
