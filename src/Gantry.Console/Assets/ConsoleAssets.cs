using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Gantry.Console.Assets;

/// <summary>
/// The console's stylesheet and its few hand-written scripts, served from the assembly it is embedded in (nothing to install beside the server, nothing
/// fetched from elsewhere). Pages link it by a URL carrying its content hash, so a browser may keep it for a year and
/// still gets the new one the moment Gantry is upgraded.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "/assets/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["logs.js"] = "text/javascript; charset=utf-8",
        ["events.js"] = "text/javascript; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, Asset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        _assets = ContentTypes.ToFrozenDictionary(
            pair => pair.Key,
            pair =>
            {
                using var stream = assembly.GetManifestResourceStream(pair.Key)
                    ?? throw new InvalidOperationException($"the console asset '{pair.Key}' is not embedded in {assembly.GetName().Name}");
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
                return new Asset(bytes, pair.Value, version);
            },
            StringComparer.Ordinal);
    }

    /// <summary>The versioned URL of an asset, e.g. /assets/console.css?v=0123456789abcdef.</summary>
    public string Url(string name) => $"{Prefix}{name}?v={_assets[name].Version}";

    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Prefix + "{name}", (string name, HttpContext context) => Serve(name, context))
            .WithMetadata(ConsoleEndpoint.Instance)
            .ExcludeFromDescription();

    private IResult Serve(string name, HttpContext context)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }
        var headers = context.Response.Headers;
        var etag = new EntityTagHeaderValue($"\"{asset.Version}\"");
        headers.ETag = etag.ToString();
        // Immutable only under the URL that names this exact content; an old or missing version is revalidated.
        headers.CacheControl = context.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag.ToString())
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);
}
