using System.Text;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>The SQL for the append-only event log and its retention (per-app count and age).</summary>
internal static class SqliteEventSql
{
    private const string Columns = "id, time, kind, name, type, reason, message, app, service, replica";

    public static EventRecord Append(SqliteConnection connection, SqliteTransaction tx, NewEvent e, DateTimeOffset time, int keepPerApp, TimeSpan keepFor)
    {
        using var insert = SqliteResourceSql.Command(connection, tx,
            "INSERT INTO events (time, kind, name, type, reason, message, app, service, replica) " +
            "VALUES ($time, $kind, $name, $type, $reason, $message, $app, $service, $replica) RETURNING id;");
        var p = insert.Parameters;
        p.AddWithValue("$time", time.ToUnixTimeMilliseconds());
        p.AddWithValue("$kind", e.Kind);
        p.AddWithValue("$name", e.Name);
        p.AddWithValue("$type", e.Type);
        p.AddWithValue("$reason", e.Reason);
        p.AddWithValue("$message", e.Message);
        p.AddWithValue("$app", (object?)e.App ?? DBNull.Value);
        p.AddWithValue("$service", (object?)e.Service ?? DBNull.Value);
        p.AddWithValue("$replica", (object?)e.Replica ?? DBNull.Value);
        var id = (long)insert.ExecuteScalar()!;

        // Retention on every append keeps the table bounded; the (app, id) index makes it a short index walk.
        using var prune = SqliteResourceSql.Command(connection, tx,
            "DELETE FROM events WHERE app IS $app AND id <= " +
            "(SELECT id FROM events WHERE app IS $app ORDER BY id DESC LIMIT 1 OFFSET $keep);");
        prune.Parameters.AddWithValue("$app", (object?)e.App ?? DBNull.Value);
        prune.Parameters.AddWithValue("$keep", Math.Max(1, keepPerApp));
        prune.ExecuteNonQuery();

        // The age rule rides on appends too (no timer writes to the file): the time index makes "nothing to prune" one
        // index probe. An app whose events stopped keeps its last ones until the next append of any app.
        Expire(connection, tx, time - keepFor);

        return new EventRecord(id, time, e.Kind, e.Name, e.Type, e.Reason, e.Message, e.App, e.Service, e.Replica);
    }

    /// <summary>Deletes the events older than <paramref name="before"/>; returns how many.</summary>
    public static long Expire(SqliteConnection connection, SqliteTransaction tx, DateTimeOffset before)
    {
        using var expire = SqliteResourceSql.Command(connection, tx, "DELETE FROM events WHERE time < $before;");
        expire.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        return expire.ExecuteNonQuery();
    }

    public static List<EventRecord> List(SqliteConnection connection, EventQuery q)
    {
        var where = new StringBuilder("id > $after");
        if (q.Kind is not null)
        {
            where.Append(" AND kind = $kind");
        }
        if (q.Name is not null)
        {
            where.Append(" AND name = $name");
        }
        if (q.App is not null)
        {
            where.Append(" AND app = $app");
        }
        var sql = q.Newest
            ? $"SELECT * FROM (SELECT {Columns} FROM events WHERE {where} ORDER BY id DESC LIMIT $limit) ORDER BY id;"
            : $"SELECT {Columns} FROM events WHERE {where} ORDER BY id LIMIT $limit;";
        using var command = SqliteResourceSql.Command(connection, null, sql);
        command.Parameters.AddWithValue("$after", q.AfterId);
        command.Parameters.AddWithValue("$limit", Math.Max(0, q.Limit));
        if (q.Kind is not null)
        {
            command.Parameters.AddWithValue("$kind", q.Kind);
        }
        if (q.Name is not null)
        {
            command.Parameters.AddWithValue("$name", q.Name);
        }
        if (q.App is not null)
        {
            command.Parameters.AddWithValue("$app", q.App);
        }
        using var reader = command.ExecuteReader();
        var result = new List<EventRecord>();
        while (reader.Read())
        {
            result.Add(new EventRecord(
                reader.GetInt64(0),
                SqliteResourceSql.FromMs(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return result;
    }
}
