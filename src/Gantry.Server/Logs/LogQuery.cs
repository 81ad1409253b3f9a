namespace Gantry.Server.Logs;

/// <summary>
/// What `gantry logs` asks of the store, checked once at the edge: which lines match (service, release, replicas, time,
/// text) and which segments can hold one, so a query opens only those. Pure.
/// </summary>
public sealed record LogQuery
{
    public string? Service { get; init; }

    /// <summary>Only lines of replicas created for this release.</summary>
    public int? Release { get; init; }

    /// <summary>Only these replicas (by name), when set: the default query shows the replicas that exist now.</summary>
    public IReadOnlySet<string>? Replicas { get; init; }

    /// <summary>Lines at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Lines before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only lines containing this text (ordinal, case-sensitive, like grep -F).</summary>
    public string? Grep { get; init; }

    /// <summary>Only the last N matching lines of each replica; null for all of them.</summary>
    public int? TailPerReplica { get; init; }

    public bool Matches(StoredLogLine line) =>
        (Service is null || line.Service == Service)
        && (Release is null || line.Release == Release)
        && (Replicas is null || Replicas.Contains(line.Replica))
        && (Since is null || line.Time >= Since)
        && (Until is null || line.Time < Until)
        && (Grep is null || line.Text.Contains(Grep, StringComparison.Ordinal));

    /// <summary>Whether the segment may hold a matching line, from its index entry alone.</summary>
    public bool Selects(LogSegment segment) =>
        segment.Lines > 0
        && (Service is null || segment.Services.Contains(Service))
        && (Release is null || segment.Releases.Contains(Release.Value))
        && (Since is null || segment.Last >= Since)
        && (Until is null || segment.First < Until);
}
