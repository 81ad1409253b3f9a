namespace Gantry.Store;

/// <summary>One stored audit entry.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset Time, string Actor, string Address, string Action, string Target, string? Team, int Status, string Outcome);
