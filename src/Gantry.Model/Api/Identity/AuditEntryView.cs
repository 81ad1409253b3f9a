namespace Gantry.Model.Api.Identity;

/// <summary>One change as the audit log keeps it: who, from where, what, and the outcome.</summary>
public sealed record AuditEntryView(long Id, DateTimeOffset Time, string Actor, string Address, string Action, string Target, int Status, string Outcome)
{
    /// <summary>The team the target belongs to, when it belongs to one.</summary>
    public string? Team { get; init; }
}
