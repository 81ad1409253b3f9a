using System.Globalization;
using System.Text.Json;
using Gantry.Registry.Content;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Api;

/// <summary>Tag list and catalog (both paginated with n/last and a Link header) and the referrers API.</summary>
public sealed class ListingHandlers(RegistryCore core)
{
    private const int MaxPage = 10_000;

    public async Task TagsAsync(HttpContext context, string repository)
    {
        CancellationToken ct = context.RequestAborted;
        if (!await core.Metadata.RepositoryExistsAsync(repository, ct).ConfigureAwait(false))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.NameUnknown(repository)).ConfigureAwait(false);
            return;
        }

        if (!TryPage(context, out int n, out string? last, out RegistryError? error))
        {
            await ApiResponses.WriteErrorAsync(context, error!).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<string> tags = n == 0 ? [] : await core.Metadata.ListTagsAsync(repository, last, n + 1, ct).ConfigureAwait(false);
        tags = Paginate(context, tags, n, $"/v2/{repository}/tags/list");
        await ApiResponses.WriteJsonAsync(context, new TagList(repository, tags), RegistryJsonContext.Default.TagList).ConfigureAwait(false);
    }

    public async Task CatalogAsync(HttpContext context)
    {
        if (!TryPage(context, out int n, out string? last, out RegistryError? error))
        {
            await ApiResponses.WriteErrorAsync(context, error!).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<string> repositories = n == 0 ? [] : await core.Metadata.ListRepositoriesAsync(last, n + 1, context.RequestAborted).ConfigureAwait(false);
        repositories = Paginate(context, repositories, n, "/v2/_catalog");
        await ApiResponses.WriteJsonAsync(context, new CatalogList(repositories), RegistryJsonContext.Default.CatalogList).ConfigureAwait(false);
    }

    private static bool TryPage(HttpContext context, out int n, out string? last, out RegistryError? error)
    {
        n = MaxPage;
        error = null;
        last = context.Request.Query["last"];
        string? nParam = context.Request.Query["n"];
        if (nParam is not null && (!int.TryParse(nParam, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 0))
        {
            error = new RegistryError(400, "PAGINATION_NUMBER_INVALID", $"n='{nParam}' must be a non-negative integer");
            return false;
        }

        n = Math.Min(n, MaxPage);
        return true;
    }

    /// <summary>Trims the extra row fetched to detect a next page and, when there is one, adds the RFC 5988 Link header.</summary>
    private static IReadOnlyList<string> Paginate(HttpContext context, IReadOnlyList<string> items, int n, string path)
    {
        if (items.Count <= n)
        {
            return items;
        }

        var page = items.Take(n).ToList();
        context.Response.Headers.Link = $"<{path}?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        return page;
    }

    public async Task ReferrersAsync(HttpContext context, string repository, string reference)
    {
        if (!Digest.TryParse(reference, out _))
        {
            await ApiResponses.WriteErrorAsync(context, RegistryError.DigestInvalid($"'{reference}' is not a valid sha256 or sha512 digest")).ConfigureAwait(false);
            return;
        }

        string? artifactType = context.Request.Query["artifactType"];
        IReadOnlyList<ManifestRecord> referrers = await core.Metadata.ListReferrersAsync(repository, reference, context.RequestAborted).ConfigureAwait(false);
        if (artifactType is not null)
        {
            referrers = [.. referrers.Where(r => r.ArtifactType == artifactType)];
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            foreach (ManifestRecord r in referrers)
            {
                writer.WriteStartObject();
                writer.WriteString("mediaType", r.MediaType);
                writer.WriteString("digest", r.Digest);
                writer.WriteNumber("size", r.Size);
                if (r.ArtifactType is not null)
                {
                    writer.WriteString("artifactType", r.ArtifactType);
                }

                if (r.AnnotationsJson is not null)
                {
                    writer.WritePropertyName("annotations");
                    writer.WriteRawValue(r.AnnotationsJson, skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        context.Response.ContentType = MediaTypes.OciIndex;
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
