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
    private static readonly SqliteMigration[] Migrations =
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
        // 2: what compaction needs without reading the JSON: each change's size (characters of spec + status) and
        // time beside its revision in a covering index, and events by time for the age rule.
        """
        ALTER TABLE changes ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
        UPDATE changes SET size = length(spec_json) + COALESCE(length(status_json), 0);
        CREATE INDEX changes_compaction ON changes (resource_version, changed_at, size);
        CREATE INDEX events_by_time ON events (time);
        """,
        // 3: incremental auto-vacuum, so compaction can give pages back to the file system. A file created before
        // this needs one VACUUM to switch (it rewrites the file: once, at the upgrade); VACUUM cannot run inside a
        // transaction. A new file gets the setting before its first table and the VACUUM here is of an empty file.
        new SqliteMigration("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;", OutsideTransaction: true),
        // 4: the audit log, apart from the events so that app event retention never shortens it.
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            actor TEXT NOT NULL,
            address TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            team TEXT,
            status INTEGER NOT NULL,
            outcome TEXT NOT NULL
        );
        CREATE INDEX audit_by_time ON audit (time);
        CREATE INDEX audit_by_actor ON audit (actor, id);
        CREATE INDEX audit_by_team ON audit (team, id);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection, DateTimeOffset now)
    {
        using (var create = connection.CreateCommand())
        {
            // auto_vacuum only takes effect before the first table exists; on an existing file it is a no-op
            // until migration 3's VACUUM.
            create.CommandText = "PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
            create.ExecuteNonQuery();
        }
        var current = CurrentVersion(connection);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database '{connection.DataSource}' has schema version {current}, newer than this Gantry understands ({LatestVersion}). Upgrade Gantry, or restore a backup taken before the upgrade.");
        }
        for (var version = current + 1; version <= LatestVersion; version++)
        {
            var migration = Migrations[version - 1];
            if (migration.OutsideTransaction)
            {
                // Idempotent by contract: a crash before the version is recorded runs it again at the next open.
                using var run = connection.CreateCommand();
                run.CommandText = migration.Sql;
                run.ExecuteNonQuery();
            }
            using var tx = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = (migration.OutsideTransaction ? "" : migration.Sql + "\n") +
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($version, $at);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            tx.Commit();
        }
    }

    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
