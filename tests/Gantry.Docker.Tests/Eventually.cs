namespace Gantry.Docker.Tests;

/// <summary>Polls a condition with a generous deadline; tests assert outcomes, never how fast they arrive.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var last = await probe();
        while (!done(last))
        {
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting for {what ?? "condition"}; last value: {last}");
            }

            await Task.Delay(250);
            last = await probe();
        }

        return last;
    }
}
