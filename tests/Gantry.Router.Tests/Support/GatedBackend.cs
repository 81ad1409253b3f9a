using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Support;

/// <summary>A backend that sends its response headers and the first half of a known body, then waits for the test to release the rest.</summary>
public sealed class GatedBackend : IAsyncDisposable
{
    public const int HalfLength = 64 * 1024;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestBackend? _backend;

    public string Address => _backend!.Address;

    /// <summary>The full body a client must receive: 'a' × half then 'b' × half.</summary>
    public static string ExpectedBody => new string('a', HalfLength) + new string('b', HalfLength);

    /// <summary>Completes once the first half is flushed to the router.</summary>
    public Task Started => _started.Task;

    public static async Task<GatedBackend> StartAsync()
    {
        var gated = new GatedBackend();
        gated._backend = await TestBackend.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = 2 * HalfLength;
            await ctx.Response.WriteAsync(new string('a', HalfLength));
            await ctx.Response.Body.FlushAsync();
            gated._started.TrySetResult();
            await gated._release.Task.WaitAsync(ctx.RequestAborted);
            await ctx.Response.WriteAsync(new string('b', HalfLength));
        });
        return gated;
    }

    public void Release() => _release.TrySetResult();

    public ValueTask DisposeAsync()
    {
        Release();
        return _backend!.DisposeAsync();
    }
}
