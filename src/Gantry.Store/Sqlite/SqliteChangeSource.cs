using Gantry.Store.Watching;

namespace Gantry.Store.Sqlite;

/// <summary>Reads watch snapshots and the change log inside one read transaction (one WAL snapshot).</summary>
internal sealed class SqliteChangeSource(SqliteDatabase db) : IChangeSource
{
    public async Task<ChangeRead> ReadAsync(string? kind, long? afterRevision, bool includeResources, CancellationToken ct)
    {
        await using var connection = await db.OpenReaderAsync(ct).ConfigureAwait(false);
        using var tx = connection.BeginTransaction(deferred: true);
        var revision = SqliteResourceSql.ReadMeta(connection, tx, SqliteResourceStore.RevisionKey);
        var compacted = SqliteResourceSql.ReadMeta(connection, tx, SqliteResourceStore.CompactedThroughKey);
        IReadOnlyList<ResourceChange>? changes = null;
        if (afterRevision is { } after && after >= compacted)
        {
            changes = SqliteResourceSql.ChangesAfter(connection, tx, kind, after);
        }
        var resources = includeResources ? SqliteResourceSql.List(connection, tx, kind) : null;
        tx.Commit();
        return new ChangeRead(revision, compacted, changes, resources);
    }
}
