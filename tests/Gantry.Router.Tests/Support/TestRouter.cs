using System.Net;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Hosting;

namespace Gantry.Router.Tests.Support;

/// <summary>Starts a router in-process on loopback port 0 and gives clients for its entrypoints.</summary>
public sealed class TestRouter : IAsyncDisposable
{
    private TestRouter(RunningRouter router)
    {
        Router = router;
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) };
        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public RunningRouter Router { get; }

    public HttpClient Client { get; }

    public string External => $"http://127.0.0.1:{Router.ExternalHttpPort}";

    public string Internal => $"http://127.0.0.1:{Router.InternalPort}";

    public string Admin => $"http://127.0.0.1:{Router.AdminPort}";

    public static RouterOptions LoopbackOptions() => new()
    {
        ExternalHttp = new IPEndPoint(IPAddress.Loopback, 0),
        Internal = new IPEndPoint(IPAddress.Loopback, 0),
        Admin = new IPEndPoint(IPAddress.Loopback, 0),
    };

    public static async Task<TestRouter> StartAsync(RouteTableSpec? table = null, Func<RouterOptions, RouterOptions>? configure = null)
    {
        var options = LoopbackOptions();
        if (configure is not null)
        {
            options = configure(options);
        }

        var router = await RouterHost.StartAsync(options);
        if (table is not null)
        {
            var errors = router.ApplyTable(table);
            Assert.Empty(errors);
        }

        return new TestRouter(router);
    }

    public Task<HttpResponseMessage> GetAsync(string host, string path = "/", string? entry = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, (entry ?? External) + path);
        request.Headers.Host = host;
        return Client.SendAsync(request);
    }

    public async Task<string> GetStringAsync(string host, string path = "/")
    {
        using var response = await GetAsync(host, path);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>The recent records once at least <paramref name="count"/> requests have finished, slowest first.</summary>
    /// <remarks>A request's record is written after its last byte left, so a client can hold the answer a moment before the
    /// router has filed it: a test reads the ring through this, never straight after a response.</remarks>
    public async Task<IReadOnlyList<Gantry.Router.Observability.RequestRecord>> RecordsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Router.Recent.Position < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Router.Recent.Position} request records after 10 s, expected {count}");
            await Task.Delay(5);
        }

        return Router.Recent.Slowest(4096);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Router.DisposeAsync();
    }
}
