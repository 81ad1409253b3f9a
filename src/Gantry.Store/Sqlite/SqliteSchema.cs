using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The schema as an ordered list of migrations; <c>schema_migrations</c> records each applied version,
/// and a file written by a newer Gantry is refused rather than misread.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Append new migrations at the end; never edit a released one.</summary>
    private static readonly string[] Migrations =
    [
        // 1: resources, the change log that watches replay from, events, settings, store-wide counters.
        """
        CREATE TABLE resources (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            generation INTEGER NOT NULL,
            resource_version INTEGER NOT NULL,
            spec_json TEXT NOT NULL,
            status_json TEXT,
            observed_generation INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deletion_requested_at INTEGER,
            PRIMARY KEY (kind, name)
        ) WITHOUT ROWID;
        CREATE TABLE changes (
            resource_version INTEGER PRIMARY KEY,
            change_type INTEGER NOT NULL,
            changed_at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            generation INTEGER NOT NULL,
            spec_json TEXT NOT NULL,
            status_json TEXT,
            observed_generation INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deletion_requested_at INTEGER
        );
        CREATE INDEX changes_by_kind ON changes (kind, resource_version);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            reason TEXT NOT NULL,
            message TEXT NOT NULL,
            app TEXT,
            service TEXT,
            replica TEXT
        );
        CREATE INDEX events_by_app ON events (app, id);
        CREATE INDEX events_by_object ON events (kind, name, id);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE store_meta (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO store_meta (key, value) VALUES ('revision', 0), ('changes_compacted_through', 0);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection, DateTimeOffset now)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
            create.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, tx);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database '{connection.DataSource}' has schema version {current}, newer than this Gantry understands ({LatestVersion}). Upgrade Gantry, or restore a backup taken before the upgrade.");
        }
        for (var version = current + 1; version <= LatestVersion; version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = Migrations[version - 1] + "\nINSERT INTO schema_migrations (version, applied_at) VALUES ($version, $at);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
