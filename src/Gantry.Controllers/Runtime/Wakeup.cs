namespace Gantry.Controllers.Runtime;

/// <summary>
/// A loop's "something changed" flag: any number of <see cref="Set"/> calls before the loop waits again wake it once (the
/// loop reads the current state, so coalescing loses nothing). Safe from any thread and from event handlers.
/// </summary>
public sealed class Wakeup : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Set by another thread in between: already signalled.
            }
        }
    }

    /// <summary>Waits for the next <see cref="Set"/> (or returns at once when one is pending).</summary>
    public Task WaitAsync(CancellationToken ct) => _signal.WaitAsync(ct);

    /// <summary>Waits for the next <see cref="Set"/> or the timeout; true when set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
