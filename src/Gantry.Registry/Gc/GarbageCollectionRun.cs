namespace Gantry.Registry.Gc;

/// <summary>One garbage-collection run: when, started by whom (null for the background schedule), and what it removed or why it failed.</summary>
public sealed record GarbageCollectionRun(long Id, DateTimeOffset StartedAt, string? StartedBy)
{
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>What the run removed; null while it runs or when it failed.</summary>
    public GarbageCollectionReport? Report { get; init; }

    /// <summary>Why the run failed (the exception's message); null otherwise.</summary>
    public string? Error { get; init; }
}
