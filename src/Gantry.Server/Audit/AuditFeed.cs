using Gantry.Store;

namespace Gantry.Server.Audit;

/// <summary>
/// The server's one <see cref="IAuditLog"/>: the store's, plus a signal after each append, which the console's Settings pages
/// follow live (every change of users, teams and tokens is audited, by the API and the console alike). Nothing is polled.
/// </summary>
public sealed class AuditFeed(IAuditLog store) : IAuditLog
{
    /// <summary>Raised after an entry was appended (on the appender's task; handlers must not block).</summary>
    public event Action? Appended;

    public async Task<AuditRecord> AppendAuditAsync(NewAuditRecord entry, CancellationToken ct = default)
    {
        var record = await store.AppendAuditAsync(entry, ct).ConfigureAwait(false);
        Appended?.Invoke();
        return record;
    }

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct = default) => store.ListAuditAsync(query, ct);
}
