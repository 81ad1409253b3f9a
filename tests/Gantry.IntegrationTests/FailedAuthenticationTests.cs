using System.Net;
using System.Net.Http.Headers;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>Issue 15, finding 6: wrong tokens in a row are logged with the address and slowed. Its own server: it locks the loopback address out.</summary>
public sealed class FailedAuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Api_ThirtyWrongTokens_429AndLoggedWithTheAddress()
    {
        using var http = From(IPAddress.Loopback);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/apps");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"wrong-guess-{i:D2}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var log = await LogEventuallyAsync(l => l.Contains("API authentication failed from 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains("refusing it with 429", log, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-guess-", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_ThirtyWrongPasswords_429AndLoggedWithTheAddress()
    {
        // From another loopback address: the API test locks 127.0.0.1 out, and the count is shared.
        using var http = From(IPAddress.Parse("127.0.0.2"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/token?service=gantry&scope=repository:team/app:pull");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("someone:wrong-password-x"u8.ToArray()));
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var log = await LogEventuallyAsync(l => l.Contains("Registry authentication failed for user someone from 127.0.0.2", StringComparison.Ordinal));
        Assert.DoesNotContain("wrong-password-x", log, StringComparison.Ordinal);
    }

    private HttpClient From(IPAddress local) => LoopbackClient.From(local, fixture.Server.Url);

    private async Task<string> LogEventuallyAsync(Func<string, bool> condition)
    {
        Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(condition(fixture.Server.Log)), TimeSpan.FromSeconds(10)), fixture.Server.Log);
        return fixture.Server.Log;
    }
}
