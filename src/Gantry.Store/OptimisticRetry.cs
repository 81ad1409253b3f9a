namespace Gantry.Store;

/// <summary>
/// Read, decide, write with the version read: when someone wrote in between (a <see cref="ConcurrencyException"/>, or a
/// <see cref="ConflictException"/> for a name chosen from what was read, such as the next release number), run the
/// whole attempt again from a fresh read. The one retry loop of the deploy, scale, rollback and release paths.
/// </summary>
public static class OptimisticRetry
{
    public const int DefaultAttempts = 10;

    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, int attempts = DefaultAttempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception e) when (number < attempts && e is ConcurrencyException or ConflictException { NameTaken: true })
            {
                // Someone wrote between this attempt's read and its write: read again.
            }
        }
    }

    public static Task RunAsync(Func<Task> attempt, int attempts = DefaultAttempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RunAsync(async () =>
        {
            await attempt().ConfigureAwait(false);
            return true;
        }, attempts);
    }
}
