namespace Gantry.Console.Settings;

/// <summary>The audit page's filters, the query parameters of `GET /api/v1/audit`; <see cref="Before"/> pages back.</summary>
public sealed record AuditFilter
{
    public string? Actor { get; init; }

    public string? Action { get; init; }

    public string? App { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Entries older than this id: the next page after one whose oldest entry had it.</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 50;
}
