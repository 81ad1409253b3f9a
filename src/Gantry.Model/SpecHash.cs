using System.Security.Cryptography;
using System.Text.Json;

namespace Gantry.Model;

/// <summary>Computes the hash that decides whether a replica must be recreated (Aspire's spec-hash idea).</summary>
public static class SpecHash
{
    /// <summary>
    /// Hash of everything that shapes a container, excluding the replica count (scaling must not
    /// recreate) and the service's dependencies' ordering (which does not change a container).
    /// The image is included as resolved by the caller: pass the image id/digest so a rebuilt
    /// image with the same tag produces a new hash.
    /// </summary>
    public static string Compute(ServiceSpec service, string? resolvedImage = null)
    {
        var shape = service with { Replicas = 0, DependsOn = [], Image = resolvedImage ?? service.Image };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(shape, ModelJsonContext.Default.ServiceSpec);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }
}
