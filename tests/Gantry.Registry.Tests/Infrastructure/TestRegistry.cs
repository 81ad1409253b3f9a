using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gantry.Registry;

namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>A registry on 127.0.0.1:0 with its own temp root, plus helpers that speak the distribution API.</summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private TestRegistry(RegistryHost host, string root, HttpClient http)
    {
        Host = host;
        Root = root;
        Http = http;
    }

    public RegistryHost Host { get; }
    public string Root { get; }
    public HttpClient Http { get; }
    public string HostPort => $"{Host.BaseAddress.Host}:{Host.BaseAddress.Port}";

    /// <summary>When true the root survives disposal (to restart a registry on the same storage).</summary>
    public bool KeepRoot { get; set; }

    static TestRegistry() => Api.RegistryDispatcher.DebugDetail = true;

    public static async Task<TestRegistry> StartAsync(Func<RegistryOptions, RegistryOptions>? configure = null, Action<IServiceCollection>? services = null, string? root = null)
    {
        root ??= Path.Combine(Path.GetTempPath(), "gdr-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new RegistryOptions { RootDirectory = root, RequireAuth = false, GarbageCollectionInterval = TimeSpan.Zero };
        options = configure?.Invoke(options) ?? options;
        RegistryHost host = await RegistryHost.StartAsync(options, "http://127.0.0.1:0", services);
        var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return new TestRegistry(host, root, http);
    }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] RandomBytes(int size)
    {
        byte[] data = new byte[size];
        Random.Shared.NextBytes(data);
        return data;
    }

    public string BlobPath(string digest) => Path.Combine(Root, "blobs", "sha256", digest[7..9], digest[7..]);

    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        string digest = DigestOf(content);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await Http.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return digest;
    }

    /// <summary>Pushes a config and layers and an image manifest referencing them; returns the manifest digest and body.</summary>
    public async Task<(string Digest, byte[] Body)> PushImageAsync(string repository, string tag, int layers = 2, string? subject = null, string? artifactType = null)
    {
        byte[] config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + Guid.NewGuid() + "\"}");
        string configDigest = await PushBlobAsync(repository, config);
        var layerJson = new List<string>();
        for (int i = 0; i < layers; i++)
        {
            byte[] layer = RandomBytes(1000 + i);
            string d = await PushBlobAsync(repository, layer);
            layerJson.Add($"{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{d}\",\"size\":{layer.Length}}}");
        }

        string extra = (subject is null ? "" : $",\"subject\":{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{subject}\",\"size\":10}}")
            + (artifactType is null ? "" : $",\"artifactType\":\"{artifactType}\"");
        string manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},\"layers\":[{string.Join(",", layerJson)}]{extra}}}";
        byte[] bytes = Encoding.UTF8.GetBytes(manifest);
        using HttpResponseMessage response = await PutManifestAsync(repository, tag, bytes, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (DigestOf(bytes), bytes);
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Http.PutAsync($"v2/{repository}/manifests/{reference}", content);
    }

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        if (KeepRoot)
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
