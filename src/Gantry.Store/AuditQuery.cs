namespace Gantry.Store;

/// <summary>Which audit entries to list: the newest <see cref="Limit"/>, optionally by actor, team or a time bound.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }

    public string? Team { get; init; }

    public DateTimeOffset? Since { get; init; }

    public int Limit { get; init; } = 100;
}
