using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The SQL for resources, the change log and the store counters. Timestamps are stored as Unix milliseconds
/// (readable with <c>datetime(x / 1000, 'unixepoch')</c>); the store truncates its clock to milliseconds so
/// what a write returns equals what a later read returns.
/// </summary>
internal static class SqliteResourceSql
{
    private const string Columns =
        "kind, name, uid, generation, resource_version, spec_json, status_json, observed_generation, created_at, updated_at, deletion_requested_at";

    private const string Values =
        "$kind, $name, $uid, $generation, $rv, $spec, $status, $observed, $created, $updated, $deletion";

    public static StoredResource? Get(SqliteConnection connection, SqliteTransaction? tx, string kind, string name)
    {
        using var command = Command(connection, tx, $"SELECT {Columns} FROM resources WHERE kind = $kind AND name = $name;");
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader, 0) : null;
    }

    public static List<StoredResource> List(SqliteConnection connection, SqliteTransaction? tx, string? kind)
    {
        using var command = Command(connection, tx, kind is null
            ? $"SELECT {Columns} FROM resources ORDER BY kind, name;"
            : $"SELECT {Columns} FROM resources WHERE kind = $kind ORDER BY name;");
        if (kind is not null)
        {
            command.Parameters.AddWithValue("$kind", kind);
        }
        using var reader = command.ExecuteReader();
        var result = new List<StoredResource>();
        while (reader.Read())
        {
            result.Add(Read(reader, 0));
        }
        return result;
    }

    public static void Put(SqliteConnection connection, SqliteTransaction tx, StoredResource resource)
    {
        using var command = Command(connection, tx, $"INSERT OR REPLACE INTO resources ({Columns}) VALUES ({Values});");
        Bind(command, resource);
        command.ExecuteNonQuery();
    }

    public static void Remove(SqliteConnection connection, SqliteTransaction tx, string kind, string name)
    {
        using var command = Command(connection, tx, "DELETE FROM resources WHERE kind = $kind AND name = $name;");
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$name", name);
        command.ExecuteNonQuery();
    }

    /// <summary>Takes the next store-wide revision; read from the file (not memory) so a failed transaction leaves no gap.</summary>
    public static long NextRevision(SqliteConnection connection, SqliteTransaction tx)
    {
        using var command = Command(connection, tx, "UPDATE store_meta SET value = value + 1 WHERE key = 'revision' RETURNING value;");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static long ReadMeta(SqliteConnection connection, SqliteTransaction? tx, string key)
    {
        using var command = Command(connection, tx, "SELECT value FROM store_meta WHERE key = $key;");
        command.Parameters.AddWithValue("$key", key);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void LogChange(SqliteConnection connection, SqliteTransaction tx, ResourceChange change, DateTimeOffset at)
    {
        using var command = Command(connection, tx,
            $"INSERT INTO changes (change_type, changed_at, size, {Columns}) VALUES ($type, $at, $size, {Values});");
        command.Parameters.AddWithValue("$type", (int)change.Type);
        // Characters, not UTF-8 bytes: close enough for a budget, and free to compute on large status documents.
        command.Parameters.AddWithValue("$size", change.Resource!.SpecJson.Length + (change.Resource.StatusJson?.Length ?? 0));
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        // The change row's resource_version is the revision of the change itself (for Deleted: the deletion's).
        Bind(command, change.Resource! with { ResourceVersion = change.ResourceVersion });
        command.ExecuteNonQuery();
    }

    public static List<ResourceChange> ChangesAfter(SqliteConnection connection, SqliteTransaction? tx, string? kind, long afterRevision)
    {
        using var command = Command(connection, tx, kind is null
            ? $"SELECT change_type, {Columns} FROM changes WHERE resource_version > $after ORDER BY resource_version;"
            : $"SELECT change_type, {Columns} FROM changes WHERE kind = $kind AND resource_version > $after ORDER BY resource_version;");
        command.Parameters.AddWithValue("$after", afterRevision);
        if (kind is not null)
        {
            command.Parameters.AddWithValue("$kind", kind);
        }
        using var reader = command.ExecuteReader();
        var result = new List<ResourceChange>();
        while (reader.Read())
        {
            var resource = Read(reader, 1);
            result.Add(new ResourceChange((ResourceChangeType)reader.GetInt32(0), resource, resource.ResourceVersion));
        }
        return result;
    }

    /// <summary>
    /// Cuts the oldest log rows so the log holds at most <paramref name="rules"/>' counts and bytes: rows outside the
    /// newest RetainCount go once older than RetainAge; beyond MaxCount or MaxBytes they go whatever their age (the
    /// newest change always stays). Records how far the log was cut so resumers know they cannot replay. Returns the
    /// number of rows deleted.
    /// </summary>
    public static long Compact(SqliteConnection connection, SqliteTransaction tx, long currentRevision, ChangeLogBounds rules)
    {
        // Every revision logs exactly one change, so "the newest N" is revision arithmetic; the covering index
        // (resource_version, changed_at, size) answers these without reading any JSON.
        using var aged = Command(connection, tx,
            "SELECT MAX(resource_version) FROM changes WHERE resource_version <= $cut AND changed_at < $at;");
        aged.Parameters.AddWithValue("$cut", currentRevision - rules.RetainCount);
        aged.Parameters.AddWithValue("$at", rules.OlderThan.ToUnixTimeMilliseconds());
        var through = aged.ExecuteScalar() is long byAge ? byAge : 0;
        through = Math.Max(through, currentRevision - rules.MaxCount);

        using var total = Command(connection, tx, "SELECT COALESCE(SUM(size), 0) FROM changes WHERE resource_version > $through;");
        total.Parameters.AddWithValue("$through", through);
        var excess = Convert.ToInt64(total.ExecuteScalar(), CultureInfo.InvariantCulture) - rules.MaxBytes;
        if (excess > 0)
        {
            using var bySize = Command(connection, tx,
                "SELECT resource_version FROM (SELECT resource_version, SUM(size) OVER (ORDER BY resource_version) AS running " +
                "FROM changes WHERE resource_version > $through) WHERE running >= $excess ORDER BY resource_version LIMIT 1;");
            bySize.Parameters.AddWithValue("$through", through);
            bySize.Parameters.AddWithValue("$excess", excess);
            if (bySize.ExecuteScalar() is long bySizeThrough)
            {
                through = bySizeThrough;
            }
        }
        through = Math.Min(through, currentRevision - 1);
        if (through <= 0)
        {
            return 0;
        }
        using var delete = Command(connection, tx, "DELETE FROM changes WHERE resource_version <= $through;");
        delete.Parameters.AddWithValue("$through", through);
        var deleted = delete.ExecuteNonQuery();
        if (deleted > 0)
        {
            using var mark = Command(connection, tx, "UPDATE store_meta SET value = MAX(value, $through) WHERE key = 'changes_compacted_through';");
            mark.Parameters.AddWithValue("$through", through);
            mark.ExecuteNonQuery();
        }
        return deleted;
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static StoredResource Read(SqliteDataReader reader, int o) => new(
        Kind: reader.GetString(o),
        Name: reader.GetString(o + 1),
        Uid: reader.GetString(o + 2),
        Generation: reader.GetInt64(o + 3),
        ResourceVersion: reader.GetInt64(o + 4),
        SpecJson: reader.GetString(o + 5),
        StatusJson: reader.IsDBNull(o + 6) ? null : reader.GetString(o + 6),
        ObservedGeneration: reader.GetInt64(o + 7),
        CreatedAt: FromMs(reader.GetInt64(o + 8)),
        UpdatedAt: FromMs(reader.GetInt64(o + 9)),
        DeletionRequestedAt: reader.IsDBNull(o + 10) ? null : FromMs(reader.GetInt64(o + 10)));

    private static void Bind(SqliteCommand command, StoredResource r)
    {
        var p = command.Parameters;
        p.AddWithValue("$kind", r.Kind);
        p.AddWithValue("$name", r.Name);
        p.AddWithValue("$uid", r.Uid);
        p.AddWithValue("$generation", r.Generation);
        p.AddWithValue("$rv", r.ResourceVersion);
        p.AddWithValue("$spec", r.SpecJson);
        p.AddWithValue("$status", (object?)r.StatusJson ?? DBNull.Value);
        p.AddWithValue("$observed", r.ObservedGeneration);
        p.AddWithValue("$created", r.CreatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$updated", r.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$deletion", r.DeletionRequestedAt is { } d ? (object)d.ToUnixTimeMilliseconds() : DBNull.Value);
    }
}
