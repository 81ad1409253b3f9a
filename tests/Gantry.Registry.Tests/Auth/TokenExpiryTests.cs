using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Auth;

/// <summary>Tokens stop working after their lifetime on the registry's clock.</summary>
public sealed class TokenExpiryTests
{
    [Fact]
    public async Task BearerToken_AfterLifetime_IsRejected()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await TestRegistry.StartAsync(
            o => o with { RequireAuth = true, TokenLifetime = TimeSpan.FromMinutes(5) },
            s => s.AddSingleton<TimeProvider>(time).AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator().Add("u", "p")));

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "v2/token?service=gantry&scope=repository:x/y:pull");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p")));
        using HttpResponseMessage tokenResponse = await r.Http.SendAsync(tokenRequest);
        using JsonDocument doc = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        Assert.Equal(300, doc.RootElement.GetProperty("expires_in").GetInt32());
        string token = doc.RootElement.GetProperty("token").GetString()!;

        async Task<HttpStatusCode> CallAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await r.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync());
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync());
    }
}
