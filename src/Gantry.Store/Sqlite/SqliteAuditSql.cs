using System.Text;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>The SQL for the audit log and its retention (count and age, both applied on append: no timer writes).</summary>
internal static class SqliteAuditSql
{
    private const string Columns = "id, time, actor, address, action, target, team, status, outcome";

    public static AuditRecord Append(SqliteConnection connection, SqliteTransaction tx, NewAuditRecord e, DateTimeOffset time, int keep, TimeSpan keepFor)
    {
        using var insert = SqliteResourceSql.Command(connection, tx,
            "INSERT INTO audit (time, actor, address, action, target, team, status, outcome) " +
            "VALUES ($time, $actor, $address, $action, $target, $team, $status, $outcome) RETURNING id;");
        var p = insert.Parameters;
        p.AddWithValue("$time", time.ToUnixTimeMilliseconds());
        p.AddWithValue("$actor", e.Actor);
        p.AddWithValue("$address", e.Address);
        p.AddWithValue("$action", e.Action);
        p.AddWithValue("$target", e.Target);
        p.AddWithValue("$team", (object?)e.Team ?? DBNull.Value);
        p.AddWithValue("$status", e.Status);
        p.AddWithValue("$outcome", e.Outcome);
        var id = (long)insert.ExecuteScalar()!;

        using var prune = SqliteResourceSql.Command(connection, tx, "DELETE FROM audit WHERE id <= $below OR time < $before;");
        prune.Parameters.AddWithValue("$below", id - Math.Max(1, keep));
        prune.Parameters.AddWithValue("$before", (time - keepFor).ToUnixTimeMilliseconds());
        prune.ExecuteNonQuery();
        return new AuditRecord(id, time, e.Actor, e.Address, e.Action, e.Target, e.Team, e.Status, e.Outcome);
    }

    public static List<AuditRecord> List(SqliteConnection connection, AuditQuery q)
    {
        var where = new StringBuilder("1 = 1");
        using var command = SqliteResourceSql.Command(connection, null, "");
        if (q.Actor is not null)
        {
            where.Append(" AND actor = $actor");
            command.Parameters.AddWithValue("$actor", q.Actor);
        }
        if (q.Team is not null)
        {
            where.Append(" AND team = $team");
            command.Parameters.AddWithValue("$team", q.Team);
        }
        if (q.Since is { } since)
        {
            where.Append(" AND time >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }
        if (q.Until is { } until)
        {
            where.Append(" AND time < $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }
        if (q.Action is { Length: > 0 } action)
        {
            // instr, not LIKE: the text is matched as written, with no wildcard of its own.
            where.Append(" AND instr(action, $action) > 0");
            command.Parameters.AddWithValue("$action", action);
        }
        if (q.Target is not null)
        {
            where.Append(" AND target = $target");
            command.Parameters.AddWithValue("$target", q.Target);
        }
        if (q.BeforeId is { } before)
        {
            where.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", before);
        }
        command.CommandText = $"SELECT * FROM (SELECT {Columns} FROM audit WHERE {where} ORDER BY id DESC LIMIT $limit) ORDER BY id;";
        command.Parameters.AddWithValue("$limit", Math.Clamp(q.Limit, 0, 10_000));
        using var reader = command.ExecuteReader();
        var result = new List<AuditRecord>();
        while (reader.Read())
        {
            result.Add(new AuditRecord(
                reader.GetInt64(0),
                SqliteResourceSql.FromMs(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt32(7),
                reader.GetString(8)));
        }
        return result;
    }
}
