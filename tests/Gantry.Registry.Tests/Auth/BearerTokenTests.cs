using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Registry.Auth;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Auth;

/// <summary>
/// Which bearer tokens the registry accepts: only HS256 tokens it signed, for its service, within their lifetime,
/// unaltered; those grant exactly their access entries. Everything else is a 401 with the OCI error body and an
/// invalid_token challenge, so docker goes back to the token endpoint.
/// </summary>
public sealed class BearerTokenTests : IAsyncLifetime
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(
        o => o with { RequireAuth = true, TokenSigningKey = Key },
        s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator()
            .Add("reader", "pw", new RegistryGrant("team/*", RegistryActions.Pull))
            .Add("admin", "pw")));

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private async Task<string> IssuedTokenAsync(string user, params string[] scopes)
    {
        string query = string.Join("&", scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/token?service=gantry&{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:pw")));
        using HttpResponseMessage response = await _registry.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await _registry.Http.SendAsync(request);
    }

    private async Task AssertRefusedAsync(string token)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "v2/team/app/tags/list", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(response));
        string challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains("service=\"gantry\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"repository:team/app:pull\"", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_SignedWithAnotherKey_IsRefused()
    {
        byte[] otherKey = [.. Key.Select(b => (byte)(b ^ 0xFF))];
        await AssertRefusedAsync(TokenForge.Signed(otherKey, [TokenForge.Repository("team/app", "pull")]));
    }

    [Fact]
    public async Task Token_Expired_IsRefused()
    {
        await AssertRefusedAsync(TokenForge.Signed(Key, [TokenForge.Repository("team/app", "pull")], expires: DateTime.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public async Task Token_ForAnotherService_IsRefused()
    {
        await AssertRefusedAsync(TokenForge.Signed(Key, [TokenForge.Repository("team/app", "pull")], audience: "other-registry"));
    }

    [Fact]
    public async Task Token_TamperedPayload_IsRefused()
    {
        string token = await IssuedTokenAsync("reader", "repository:team/app:pull");
        string payload = TokenForge.PayloadOf(token);
        string widened = payload.Replace("\"actions\":[\"pull\"]", "\"actions\":[\"pull\",\"push\",\"delete\"]", StringComparison.Ordinal);
        Assert.NotEqual(payload, widened);
        using HttpResponseMessage genuine = await SendAsync(HttpMethod.Get, "v2/team/app/tags/list", token);
        Assert.Equal(HttpStatusCode.NotFound, genuine.StatusCode);

        await AssertRefusedAsync(TokenForge.WithPayload(token, widened));
    }

    [Fact]
    public async Task Token_AlgNone_IsRefused()
    {
        string token = TokenForge.Unsigned([TokenForge.Repository("team/app", "pull", "push", "delete")]);
        Assert.Contains("\"alg\":\"none\"", TokenForge.HeaderOf(token), StringComparison.Ordinal);
        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task Token_Valid_GrantsExactlyItsAccessEntries()
    {
        string token = TokenForge.Signed(Key, [TokenForge.Repository("team/app", "pull"), TokenForge.Repository("team/lib", "push")]);

        using HttpResponseMessage pullApp = await SendAsync(HttpMethod.Get, "v2/team/app/tags/list", token);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(pullApp));
        using HttpResponseMessage pushLib = await SendAsync(HttpMethod.Post, "v2/team/lib/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, pushLib.StatusCode);

        foreach ((HttpMethod method, string path) in new[]
        {
            (HttpMethod.Post, "v2/team/app/blobs/uploads/"),
            (HttpMethod.Get, "v2/team/lib/tags/list"),
            (HttpMethod.Get, "v2/team/other/tags/list"),
            (HttpMethod.Delete, "v2/team/app/manifests/sha256:" + new string('0', 64)),
            (HttpMethod.Get, "v2/_catalog"),
        })
        {
            using HttpResponseMessage refused = await SendAsync(method, path, token);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("error=\"insufficient_scope\"", refused.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IssuedToken_CarriesDockerAccessClaimForItsServiceAndLifetime()
    {
        string token = await IssuedTokenAsync("admin", "repository:team/app:pull,push", "registry:catalog:*");
        using JsonDocument payload = JsonDocument.Parse(TokenForge.PayloadOf(token));
        JsonElement claims = payload.RootElement;

        Assert.Equal(
            """[{"type":"repository","name":"team/app","actions":["pull","push"]},{"type":"registry","name":"catalog","actions":["*"]}]""",
            claims.GetProperty("access").GetRawText());
        Assert.Equal("admin", claims.GetProperty("sub").GetString());
        Assert.Equal("gantry", claims.GetProperty("aud").GetString());
        Assert.Equal(TokenForge.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(15 * 60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.True(claims.TryGetProperty("jti", out _));
    }

    [Fact]
    public void SigningKey_ShorterThan256Bits_IsRefusedAtStartup()
    {
        var options = new RegistryOptions { RootDirectory = _registry.Root, TokenSigningKey = new byte[16] };
        Assert.Throws<ArgumentException>(() => new RegistryTokenService(options, TimeProvider.System));
    }
}
