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
            $"INSERT INTO changes (change_type, changed_at, {Columns}) VALUES ($type, $at, {Values});");
        command.Parameters.AddWithValue("$type", (int)change.Type);
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
    /// Deletes log rows that are both outside the newest <paramref name="retainCount"/> revisions and older than
    /// <paramref name="olderThan"/>, and records how far the log was cut so resumers know they cannot replay.
    /// </summary>
    public static void Compact(SqliteConnection connection, SqliteTransaction tx, long currentRevision, int retainCount, DateTimeOffset olderThan)
    {
        using var find = Command(connection, tx,
            "SELECT MAX(resource_version) FROM changes WHERE resource_version <= $cut AND changed_at < $at;");
        find.Parameters.AddWithValue("$cut", currentRevision - retainCount);
        find.Parameters.AddWithValue("$at", olderThan.ToUnixTimeMilliseconds());
        if (find.ExecuteScalar() is not long through)
        {
            return;
        }
        using var delete = Command(connection, tx,
            "DELETE FROM changes WHERE resource_version <= $through; " +
            "UPDATE store_meta SET value = MAX(value, $through) WHERE key = 'changes_compacted_through';");
        delete.Parameters.AddWithValue("$through", through);
        delete.ExecuteNonQuery();
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
