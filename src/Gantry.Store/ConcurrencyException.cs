namespace Gantry.Store;

/// <summary>The write named an expected resource version and the stored one differs: re-read and retry.</summary>
public sealed class ConcurrencyException : StoreException
{
    public ConcurrencyException(string kind, string name, long expected, long? actual)
        : base(kind, name, actual is null
            ? $"{kind} '{name}' was expected at resource version {expected} but does not exist; re-read it and retry."
            : $"{kind} '{name}' was expected at resource version {expected} but is at {actual}; someone else changed it, re-read it and retry.")
    {
        Expected = expected;
        Actual = actual;
    }

    public long Expected { get; }

    /// <summary>The stored resource version, or null when the resource does not exist.</summary>
    public long? Actual { get; }
}
