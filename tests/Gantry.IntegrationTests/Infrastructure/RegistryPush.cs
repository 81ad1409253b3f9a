using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>
/// Pushes a small image (a config, one random layer, an OCI manifest) to the server's registry through the distribution API
/// with HTTP Basic credentials, as a client that skips the token flow does: a real push by a real user, without building an
/// image or involving dockerd. The registry's own tests push the same way (TestRegistry.PushImageAsync).
/// </summary>
public static class RegistryPush
{
    /// <summary>Pushes <paramref name="repository"/>:<paramref name="tag"/> as <paramref name="user"/>; returns the manifest's digest.</summary>
    public static async Task<string> ImageAsync(string baseUrl, string user, string password, string repository, string tag, int layerBytes = 4096)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"{Guid.NewGuid()}\"}}");
        var layer = RandomNumberGenerator.GetBytes(layerBytes);
        var configDigest = await BlobAsync(http, repository, config);
        var layerDigest = await BlobAsync(http, repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},"
            + $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var put = await http.PutAsync($"/v2/{repository}/manifests/{tag}", body);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"{user} pushing {repository}:{tag}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return DigestOf(manifest);
    }

    private static async Task<string> BlobAsync(HttpClient http, string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"blob upload to {repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }

    private static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
