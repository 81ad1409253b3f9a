using System.Security.Cryptography;
using System.Text.Json;

namespace Gantry.Model;

/// <summary>Computes the hash that decides whether a replica must be recreated (Aspire's spec-hash idea).</summary>
public static class SpecHash
{
    private const string GantryExtension = "x-gantry";

    /// <summary>
    /// Hash of everything that shapes a container, excluding the replica count (scaling must not
    /// recreate), the service's dependencies' ordering (which does not change a container), the image pin
    /// and release policy, the autoscaling policy, and `x-gantry` (routes, release and autoscale settings).
    /// The image is included as resolved by the caller: pass the image id/digest so a rebuilt
    /// image with the same tag produces a new hash.
    /// </summary>
    public static string Compute(ServiceSpec service, string? resolvedImage = null)
    {
        var shape = service with
        {
            Replicas = 0,
            DependsOn = [],
            Image = resolvedImage ?? service.PinnedImage ?? service.Image,
            // The built image's id already says what the build made; the build's context path changes with
            // every uploaded bundle even when nothing in it did, and must not replace the replicas.
            Build = resolvedImage is null ? service.Build : null,
            PinnedImage = null,
            PinnedDigest = null,
            Release = null,
            Routing = null,
            Autoscale = null,
            Alerts = null,
            RedeployOnPush = false,
            Test = null,
            // Routes and release settings change where traffic goes, not what a container is.
            Extensions = service.Extensions.ContainsKey(GantryExtension)
                ? new SortedDictionary<string, string>(service.Extensions.Where(e => e.Key != GantryExtension).ToDictionary(), StringComparer.Ordinal)
                : service.Extensions,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(shape, ModelJsonContext.Default.ServiceSpec);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }

    /// <summary>A hash that changes when either part does: a service's own with the one of a service it depends on at run time (network_mode service:NAME).</summary>
    public static string Combine(string own, string other) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(own + "+" + other)))[..16];
}
