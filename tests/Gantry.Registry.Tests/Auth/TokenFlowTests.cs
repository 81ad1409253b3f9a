using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Auth;

/// <summary>The Docker token flow: challenge, token endpoint (GET with Basic, POST password grant), scopes, anonymous pull.</summary>
public sealed class TokenFlowTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(
        o => o with { RequireAuth = true, AnonymousPullRepositories = ["public/*"] },
        s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator()
            .Add("admin", "pw")
            .Add("reader", "pw", new RegistryGrant("team/*", RegistryActions.Pull))));

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private HttpClient Http => _registry.Http;

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<string> TokenAsync(string? user, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/token?service=gantry&scope={Uri.EscapeDataString(scope)}");
        if (user is not null)
        {
            request.Headers.Authorization = Basic(user, "pw");
        }

        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    [Fact]
    public async Task Base_Unauthenticated_Returns401WithBearerChallenge()
    {
        using HttpResponseMessage response = await Http.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.StartsWith("Bearer realm=\"http://127.0.0.1:", challenge, StringComparison.Ordinal);
        Assert.Contains("/v2/token\",service=\"gantry\"", challenge, StringComparison.Ordinal);
        Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ManifestGet_Unauthenticated_ChallengeCarriesRepositoryScope()
    {
        using HttpResponseMessage response = await Http.GetAsync("v2/team/app/manifests/latest");
        Assert.Contains("scope=\"repository:team/app:pull\"", response.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_AdminWithPushScope_AllowsPushAndPull()
    {
        string token = await TokenAsync("admin", "repository:team/app:pull,push");
        using HttpResponseMessage start = await SendAsync(HttpMethod.Post, "v2/team/app/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        using HttpResponseMessage baseCheck = await SendAsync(HttpMethod.Get, "v2/", token);
        Assert.Equal(HttpStatusCode.OK, baseCheck.StatusCode);
    }

    [Fact]
    public async Task Token_ReaderAskingPush_GetsPullOnlyAndPushIsRefused()
    {
        string token = await TokenAsync("reader", "repository:team/app:pull,push");
        using HttpResponseMessage push = await SendAsync(HttpMethod.Post, "v2/team/app/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", push.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        using HttpResponseMessage pull = await SendAsync(HttpMethod.Get, "v2/team/app/tags/list", token);
        Assert.Equal(HttpStatusCode.NotFound, pull.StatusCode);
    }

    [Fact]
    public async Task Token_TokenForOtherRepository_IsRefused()
    {
        string token = await TokenAsync("admin", "repository:team/one:pull");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "v2/team/two/tags/list", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WrongPassword_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/token?service=gantry&scope=repository:team/app:pull");
        request.Headers.Authorization = Basic("admin", "nope");
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_TamperedSignature_IsRejected()
    {
        string token = await TokenAsync("admin", "repository:team/app:pull");
        string tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "v2/", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenPost_PasswordGrantForm_IssuesToken()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "admin",
            ["password"] = "pw",
            ["service"] = "gantry",
            ["scope"] = "repository:team/app:pull,push",
            ["client_id"] = "test",
        });
        using HttpResponseMessage response = await Http.PostAsync("v2/token", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string token = doc.RootElement.GetProperty("access_token").GetString()!;
        using HttpResponseMessage push = await SendAsync(HttpMethod.Post, "v2/team/app/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
    }

    [Fact]
    public async Task AnonymousPull_OnPublicRepository_IsAllowedButPushIsNot()
    {
        using HttpResponseMessage pull = await Http.GetAsync("v2/public/base/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, pull.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(pull));

        string anonymous = await TokenAsync(null, "repository:public/base:pull,push");
        using HttpResponseMessage push = await SendAsync(HttpMethod.Post, "v2/public/base/blobs/uploads/", anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        using HttpResponseMessage pullWithToken = await SendAsync(HttpMethod.Get, "v2/public/base/tags/list", anonymous);
        Assert.Equal(HttpStatusCode.NotFound, pullWithToken.StatusCode);
    }

    [Fact]
    public async Task Basic_DirectOnApi_ChecksPrincipalGrants()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/team/app/blobs/uploads/");
        request.Headers.Authorization = Basic("reader", "pw");
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Catalog_NeedsCatalogScope()
    {
        using HttpResponseMessage anonymous = await Http.GetAsync("v2/_catalog");
        Assert.Contains("registry:catalog:*", anonymous.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        string token = await TokenAsync("admin", "registry:catalog:*");
        using HttpResponseMessage ok = await SendAsync(HttpMethod.Get, "v2/_catalog", token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        string readerToken = await TokenAsync("reader", "registry:catalog:*");
        using HttpResponseMessage refused = await SendAsync(HttpMethod.Get, "v2/_catalog", readerToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
