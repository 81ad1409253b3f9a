namespace Gantry.Store;

/// <summary>An audit entry to append; the store gives it its id and time.</summary>
/// <param name="Actor">The user (or "router", "admin-token") that made the change.</param>
/// <param name="Address">The caller's network address.</param>
/// <param name="Action">What was asked, as method and path ("PUT /api/v1/apps/hello") or a named action ("login").</param>
/// <param name="Target">What it was asked of ("app hello", "user alice").</param>
/// <param name="Team">The team the target belongs to, so a team's admins can be shown theirs; null for server-wide targets.</param>
/// <param name="Status">The HTTP status the caller got.</param>
/// <param name="Outcome">The outcome in words ("accepted", "refused: ...").</param>
public sealed record NewAuditRecord(string Actor, string Address, string Action, string Target, string? Team, int Status, string Outcome);
