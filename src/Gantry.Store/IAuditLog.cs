namespace Gantry.Store;

/// <summary>
/// The audit log: every change made through the API (who, from where, what, the outcome), append-only and kept apart
/// from the app events so that an app's event retention never shortens it. Bounded by count and age; written only
/// when someone changes something, so it costs nothing at rest.
/// </summary>
public interface IAuditLog
{
    Task<AuditRecord> AppendAuditAsync(NewAuditRecord entry, CancellationToken ct = default);

    /// <summary>The newest entries matching <paramref name="query"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct = default);
}
