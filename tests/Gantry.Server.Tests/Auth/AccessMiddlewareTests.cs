using System.Net;
using Gantry.Registry.Auth;
using Gantry.Server.Auth;
using Gantry.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Tests.Auth;

/// <summary>The token gate of <see cref="AccessMiddleware"/> (a request that matched no endpoint: authentication only), on a real store.</summary>
public sealed class AccessMiddlewareTests : StoreFixture
{
    private const string Token = "right-token-0123456789";

    private readonly ListLogger<AccessMiddleware> _log = new();
    private AuthFailureLimiter _limiter = null!;
    private AccessMiddleware _gate = null!;
    private int _passed;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _limiter = new AuthFailureLimiter(Time, maxFailures: 10, window: TimeSpan.FromMinutes(1));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Token));
        var authenticator = new Authenticator(Store, hash, System.Security.Cryptography.SHA256.HashData("router-secret"u8), Time);
        _gate = new AccessMiddleware(_ => { _passed++; return Task.CompletedTask; }, authenticator, Store, _limiter, _log);
    }

    private async Task<HttpContext> SendAsync(string? token, string address = "203.0.113.7", string path = "/api/v1/apps", Endpoint? endpoint = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.SetEndpoint(endpoint);
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Response.Body = new MemoryStream();
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }
        await _gate.InvokeAsync(context);
        return context;
    }

    [Fact]
    public async Task InvokeAsync_RightToken_PassesEveryTime()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(200, (await SendAsync(Token)).Response.StatusCode);
        }

        Assert.Equal(50, _passed);
        Assert.Equal(0, _limiter.Count);
    }

    [Fact]
    public async Task InvokeAsync_TenWrongTokens_ThenRefusedWith429AndRetryAfter()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(401, (await SendAsync("guess-" + i)).Response.StatusCode);
        }

        var refused = await SendAsync("guess-10");

        Assert.Equal(429, refused.Response.StatusCode);
        Assert.Equal("60", refused.Response.Headers.RetryAfter.ToString());
        // The lock is checked before the token: the right one from the locked address is refused as well.
        Assert.Equal(429, (await SendAsync(Token)).Response.StatusCode);
        Assert.Equal(0, _passed);
    }

    [Fact]
    public async Task InvokeAsync_LockedAddress_OtherAddressesUnaffected()
    {
        for (var i = 0; i < 10; i++)
        {
            await SendAsync("guess-" + i);
        }

        Assert.Equal(200, (await SendAsync(Token, "198.51.100.1")).Response.StatusCode);
        Assert.Equal(401, (await SendAsync("guess", "198.51.100.2")).Response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_WindowPassed_AddressMayTryAgain()
    {
        for (var i = 0; i < 10; i++)
        {
            await SendAsync("guess-" + i);
        }
        Assert.Equal(429, (await SendAsync(Token)).Response.StatusCode);

        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(200, (await SendAsync(Token)).Response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_NoToken_NotCountedAsAGuess()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(401, (await SendAsync(null)).Response.StatusCode);
        }

        Assert.Equal(200, (await SendAsync(Token)).Response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_WrongToken_LoggedWithAddressNeverTheToken()
    {
        await SendAsync("hunter2-guess");

        Assert.Contains(_log.Lines, l => l.Contains("203.0.113.7", StringComparison.Ordinal) && l.Contains("GET /api/v1/apps", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("hunter2-guess", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/apps/shop")]
    [InlineData("/favicon.ico")]
    public async Task InvokeAsync_UnmatchedConsolePathWithoutToken_LeftToTheConsole(string path)
    {
        var context = await SendAsync(token: null, path: path);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(1, _passed);
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/API/V1/apps")]
    [InlineData("/healthz/other")]
    public async Task InvokeAsync_UnmatchedApiPathWithoutToken_StillNeedsAToken(string path)
    {
        var context = await SendAsync(token: null, path: path);

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal(0, _passed);
    }

    [Fact]
    public async Task InvokeAsync_ConsoleEndpoint_LeftToTheConsoleSession()
    {
        var page = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(Gantry.Console.ConsoleEndpoint.Instance), "console page");

        var context = await SendAsync(token: null, path: "/apps/shop", endpoint: page);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(1, _passed);
    }

    [Fact]
    public async Task InvokeAsync_EndpointOutsideTheApiWithoutRuleOrConsoleMark_StaysAdminOnly()
    {
        var unmarked = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(), "someone's new endpoint");

        var context = await SendAsync(token: null, path: "/metrics", endpoint: unmarked);

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal(0, _passed);
    }
}
