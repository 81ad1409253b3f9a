using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Router.Tests.Support;

/// <summary>A real Kestrel backend on 127.0.0.1:0 whose behaviour each test supplies.</summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    public string Address => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers "name" to every request, and echoes request headers as "x-seen-*" response headers when asked.</summary>
    public static Task<TestBackend> StartNamedAsync(string name) => StartAsync(async ctx =>
    {
        ctx.Response.Headers["X-Backend"] = name;
        await ctx.Response.WriteAsync(name);
    });

    public static async Task<TestBackend> StartAsync(RequestDelegate handler, bool webSockets = false, int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var backend = new TestBackend(app);
        if (webSockets)
        {
            app.UseWebSockets();
        }

        app.Run(ctx =>
        {
            Interlocked.Increment(ref backend._requests);
            return handler(ctx);
        });
        await app.StartAsync();
        backend.Port = new Uri(app.Urls.First()).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
