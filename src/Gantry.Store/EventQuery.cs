namespace Gantry.Store;

/// <summary>Which events to list or follow: every set filter must match; results are always oldest first.</summary>
public sealed record EventQuery
{
    public string? Kind { get; init; }

    public string? Name { get; init; }

    public string? App { get; init; }

    /// <summary>Only events with an id greater than this (the cursor: pass the last id you saw).</summary>
    public long AfterId { get; init; }

    /// <summary>At most this many events per list call (for follow: in the backlog before going live).</summary>
    public int Limit { get; init; } = 500;

    /// <summary>
    /// When true the list is the newest <see cref="Limit"/> matching events (tail), otherwise the oldest ones
    /// after <see cref="AfterId"/> (forward paging). Either way they come back oldest first.
    /// </summary>
    public bool Newest { get; init; }

    /// <summary>True when <paramref name="e"/> passes every filter (not the cursor).</summary>
    public bool Matches(EventRecord e) =>
        (Kind is null || string.Equals(Kind, e.Kind, StringComparison.Ordinal))
        && (Name is null || string.Equals(Name, e.Name, StringComparison.Ordinal))
        && (App is null || string.Equals(App, e.App, StringComparison.Ordinal));
}
