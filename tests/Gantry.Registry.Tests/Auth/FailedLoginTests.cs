using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Registry.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Tests.Auth;

/// <summary>Wrong passwords at the token endpoint and in direct Basic auth: logged with the address, then refused with 429.</summary>
public sealed class FailedLoginTests : IAsyncLifetime
{
    private readonly ListLoggerProvider _log = new();
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(
        o => o with { RequireAuth = true },
        s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator().Add("admin", "right-password"))
            .AddSingleton<ILoggerProvider>(_log));

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private async Task<HttpResponseMessage> TokenAsync(string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/token?service=gantry&scope=repository:team/app:pull");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        return await _registry.Http.SendAsync(request);
    }

    [Fact]
    public async Task TokenEndpoint_RightPassword_AnsweredAtOnce()
    {
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage response = await TokenAsync("right-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task TokenEndpoint_TenWrongPasswords_NextAttemptGets429WithRetryAfter()
    {
        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage wrong = await TokenAsync($"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using HttpResponseMessage refused = await TokenAsync("guess-10");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await TestRegistry.ErrorCodeAsync(refused));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // Locked before the password is looked at: the right one is refused too, so guessing on teaches nothing.
        using HttpResponseMessage right = await TokenAsync("right-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_WrongPassword_LoggedWithUserAndAddressNeverThePassword()
    {
        using HttpResponseMessage wrong = await TokenAsync("hunter2-guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        Assert.Contains(_log.Lines, l => l.Contains("authentication failed for user admin from 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("hunter2-guess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BasicAuth_TenWrongPasswords_RegistryRequestGets429()
    {
        for (int i = 0; i < 11; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/team/app/tags/list");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:guess-{i}")));
            using HttpResponseMessage response = await _registry.Http.SendAsync(request);
            Assert.Equal(i < 10 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, response.StatusCode);
        }
    }
}
