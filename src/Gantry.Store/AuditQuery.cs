namespace Gantry.Store;

/// <summary>Which audit entries to list: the newest <see cref="Limit"/>, optionally by actor, team, action, target, time, and
/// older than an entry (a page: the next one starts before the oldest id of the last).</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }

    public string? Team { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>Entries before this time only.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Entries whose action ("POST /api/v1/apps/web/scale") contains this text.</summary>
    public string? Action { get; init; }

    /// <summary>Entries about exactly this object ("app web", "user alice", "team ops", "token ID").</summary>
    public string? Target { get; init; }

    /// <summary>Entries with an id below this one: the page after one whose oldest entry had this id.</summary>
    public long? BeforeId { get; init; }

    public int Limit { get; init; } = 100;
}
