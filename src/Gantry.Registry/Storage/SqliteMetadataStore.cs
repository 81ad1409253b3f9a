using Microsoft.Data.Sqlite;

namespace Gantry.Registry.Storage;

/// <summary>SQLite implementation of the metadata store (RootDirectory/registry.db, WAL mode, a pooled connection per call).</summary>
public sealed partial class SqliteMetadataStore : IRegistryMetadataStore, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS repositories(name TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS repository_blobs(repository TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY(repository, digest)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_repository_blobs_digest ON repository_blobs(digest);
        CREATE TABLE IF NOT EXISTS manifests(repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
            artifact_type TEXT, subject TEXT, annotations TEXT, pushed_at INTEGER NOT NULL, PRIMARY KEY(repository, digest)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_manifests_subject ON manifests(repository, subject);
        CREATE INDEX IF NOT EXISTS ix_manifests_digest ON manifests(digest);
        CREATE TABLE IF NOT EXISTS manifest_references(repository TEXT NOT NULL, manifest TEXT NOT NULL, child TEXT NOT NULL,
            PRIMARY KEY(repository, manifest, child)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_manifest_references_child ON manifest_references(child);
        CREATE TABLE IF NOT EXISTS tags(repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, pushed_at INTEGER NOT NULL,
            PRIMARY KEY(repository, tag)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_tags_digest ON tags(repository, digest);
        CREATE TABLE IF NOT EXISTS retention_policies(pattern TEXT PRIMARY KEY, keep_last INTEGER, keep_matching TEXT) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS gc_runs(id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, finished_at INTEGER, started_by TEXT,
            tags INTEGER NOT NULL, manifests INTEGER NOT NULL, blobs INTEGER NOT NULL, bytes INTEGER NOT NULL, uploads INTEGER NOT NULL, error TEXT);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public SqliteMetadataStore(string databasePath, TimeProvider time)
    {
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, null, Schema);
        // Who pushed: added after the first release, so a database from then gains the columns (null for its old rows).
        AddColumnIfMissing(connection, "manifests", "pushed_by", "TEXT");
        AddColumnIfMissing(connection, "tags", "pushed_by", "TEXT");
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        if (Strings(connection, $"SELECT name FROM pragma_table_info('{table}')").Contains(column, StringComparer.Ordinal))
        {
            return;
        }

        Execute(connection, null, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
    }

    /// <summary>Closes the pooled connections so the database file is released (the host can unmount or delete it).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand command = Command(connection, tx, sql, args);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach ((string name, object? value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand command = Command(connection, null, sql, args);
        return command.ExecuteScalar();
    }

    private static List<string> Strings(SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand command = Command(connection, null, sql, args);
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void EnsureRepository(SqliteConnection connection, SqliteTransaction? tx, string repository) =>
        Execute(connection, tx, "INSERT OR IGNORE INTO repositories(name, created_at) VALUES($r, $t)", ("$r", repository), ("$t", Now()));

    public ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Scalar(c, "SELECT 1 FROM repositories WHERE name=$r", ("$r", repository)) is not null);
    }

    public ValueTask LinkBlobAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction tx = c.BeginTransaction();
        EnsureRepository(c, tx, repository);
        Execute(c, tx, "INSERT OR IGNORE INTO repository_blobs(repository, digest) VALUES($r, $d)", ("$r", repository), ("$d", digest));
        tx.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsBlobLinkedAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        // A manifest body is also content of the repository, so blob reads by a manifest digest succeed too.
        object? hit = Scalar(c, "SELECT 1 FROM repository_blobs WHERE repository=$r AND digest=$d UNION ALL SELECT 1 FROM manifests WHERE repository=$r AND digest=$d LIMIT 1",
            ("$r", repository), ("$d", digest));
        return ValueTask.FromResult(hit is not null);
    }

    public ValueTask<bool> UnlinkBlobAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Execute(c, null, "DELETE FROM repository_blobs WHERE repository=$r AND digest=$d", ("$r", repository), ("$d", digest)) > 0);
    }

    public ValueTask PutManifestAsync(ManifestRecord m, IReadOnlyList<string> references, string? tag, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction tx = c.BeginTransaction();
        EnsureRepository(c, tx, m.Repository);
        long pushed = m.PushedAt.ToUnixTimeMilliseconds();
        Execute(c, tx, """
            INSERT INTO manifests(repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at, pushed_by)
            VALUES($r, $d, $mt, $s, $at, $sub, $an, $p, $by)
            ON CONFLICT(repository, digest) DO UPDATE SET pushed_at=excluded.pushed_at, pushed_by=excluded.pushed_by
            """,
            ("$r", m.Repository), ("$d", m.Digest), ("$mt", m.MediaType), ("$s", m.Size), ("$at", m.ArtifactType),
            ("$sub", m.SubjectDigest), ("$an", m.AnnotationsJson), ("$p", pushed), ("$by", m.PushedBy));
        foreach (string child in references)
        {
            Execute(c, tx, "INSERT OR IGNORE INTO manifest_references(repository, manifest, child) VALUES($r, $m, $c)",
                ("$r", m.Repository), ("$m", m.Digest), ("$c", child));
        }

        if (tag is not null)
        {
            Execute(c, tx, """
                INSERT INTO tags(repository, tag, digest, pushed_at, pushed_by) VALUES($r, $t, $d, $p, $by)
                ON CONFLICT(repository, tag) DO UPDATE SET digest=excluded.digest, pushed_at=excluded.pushed_at, pushed_by=excluded.pushed_by
                """, ("$r", m.Repository), ("$t", tag), ("$d", m.Digest), ("$p", pushed), ("$by", m.PushedBy));
        }

        tx.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask<ManifestRecord?> GetManifestAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null,
            "SELECT media_type, size, artifact_type, subject, annotations, pushed_at, pushed_by FROM manifests WHERE repository=$r AND digest=$d",
            ("$r", repository), ("$d", digest));
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<ManifestRecord?>(null);
        }

        return ValueTask.FromResult<ManifestRecord?>(ReadManifest(reader, repository, digest));
    }

    private static ManifestRecord ReadManifest(SqliteDataReader r, string repository, string digest) => new(
        repository, digest, r.GetString(0), r.GetInt64(1),
        r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.IsDBNull(6) ? null : r.GetString(6));

    public ValueTask<string?> ResolveTagAsync(string repository, string tag, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Scalar(c, "SELECT digest FROM tags WHERE repository=$r AND tag=$t", ("$r", repository), ("$t", tag)) as string);
    }

    public ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int limit, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult<IReadOnlyList<string>>(Strings(c,
            "SELECT tag FROM tags WHERE repository=$r AND tag > $l ORDER BY tag LIMIT $n",
            ("$r", repository), ("$l", last ?? string.Empty), ("$n", limit)));
    }

    public ValueTask<IReadOnlyList<TagRecord>> ListTagRecordsAsync(string repository, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null, "SELECT tag, digest, pushed_at, pushed_by FROM tags WHERE repository=$r", ("$r", repository));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<TagRecord>();
        while (reader.Read())
        {
            list.Add(new TagRecord(repository, reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return ValueTask.FromResult<IReadOnlyList<TagRecord>>(list);
    }

    public ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult<IReadOnlyList<string>>(Strings(c,
            "SELECT name FROM repositories WHERE name > $l ORDER BY name LIMIT $n", ("$l", last ?? string.Empty), ("$n", limit)));
    }

    public ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Execute(c, null, "DELETE FROM tags WHERE repository=$r AND tag=$t", ("$r", repository), ("$t", tag)) > 0);
    }

    public ValueTask<IReadOnlyList<string>?> DeleteManifestAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction tx = c.BeginTransaction();
        var tags = new List<string>();
        using (SqliteCommand q = Command(c, tx, "SELECT tag FROM tags WHERE repository=$r AND digest=$d", ("$r", repository), ("$d", digest)))
        using (SqliteDataReader reader = q.ExecuteReader())
        {
            while (reader.Read())
            {
                tags.Add(reader.GetString(0));
            }
        }

        int removed = Execute(c, tx, "DELETE FROM manifests WHERE repository=$r AND digest=$d", ("$r", repository), ("$d", digest));
        Execute(c, tx, "DELETE FROM tags WHERE repository=$r AND digest=$d", ("$r", repository), ("$d", digest));
        Execute(c, tx, "DELETE FROM manifest_references WHERE repository=$r AND manifest=$d", ("$r", repository), ("$d", digest));
        tx.Commit();
        return ValueTask.FromResult<IReadOnlyList<string>?>(removed > 0 ? tags : null);
    }

    public ValueTask<bool> IsManifestReferencedAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Scalar(c, "SELECT 1 FROM manifest_references WHERE repository=$r AND child=$d LIMIT 1",
            ("$r", repository), ("$d", digest)) is not null);
    }

    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, string subjectDigest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null,
            "SELECT media_type, size, artifact_type, subject, annotations, pushed_at, pushed_by, digest FROM manifests WHERE repository=$r AND subject=$s ORDER BY digest",
            ("$r", repository), ("$s", subjectDigest));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<ManifestRecord>();
        while (reader.Read())
        {
            list.Add(ReadManifest(reader, repository, reader.GetString(7)));
        }

        return ValueTask.FromResult<IReadOnlyList<ManifestRecord>>(list);
    }

    public ValueTask<IReadOnlySet<string>> ListReferencedDigestsAsync(CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult<IReadOnlySet<string>>(
            Strings(c, "SELECT digest FROM manifests UNION SELECT child FROM manifest_references").ToHashSet(StringComparer.Ordinal));
    }

    public ValueTask<bool> IsDigestReferencedAsync(string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Scalar(c,
            "SELECT 1 FROM manifests WHERE digest=$d UNION ALL SELECT 1 FROM manifest_references WHERE child=$d LIMIT 1", ("$d", digest)) is not null);
    }

    public ValueTask RemoveBlobLinksAsync(string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        Execute(c, null, "DELETE FROM repository_blobs WHERE digest=$d", ("$d", digest));
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> ListManifestReferencesAsync(string repository, string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult<IReadOnlyList<string>>(Strings(c,
            "SELECT child FROM manifest_references WHERE repository=$r AND manifest=$m ORDER BY child", ("$r", repository), ("$m", digest)));
    }

    public ValueTask<IReadOnlyList<RetentionPolicy>> ListRetentionPoliciesAsync(CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null, "SELECT pattern, keep_last, keep_matching FROM retention_policies ORDER BY pattern");
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<RetentionPolicy>();
        while (reader.Read())
        {
            list.Add(new RetentionPolicy
            {
                RepositoryPattern = reader.GetString(0),
                KeepLastTags = reader.IsDBNull(1) ? null : reader.GetInt32(1),
                KeepTagsMatching = reader.IsDBNull(2) ? null : reader.GetString(2),
            });
        }

        return ValueTask.FromResult<IReadOnlyList<RetentionPolicy>>(list);
    }

    public ValueTask PutRetentionPolicyAsync(RetentionPolicy policy, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        Execute(c, null, """
            INSERT INTO retention_policies(pattern, keep_last, keep_matching) VALUES($p, $n, $m)
            ON CONFLICT(pattern) DO UPDATE SET keep_last=excluded.keep_last, keep_matching=excluded.keep_matching
            """, ("$p", policy.RepositoryPattern), ("$n", policy.KeepLastTags), ("$m", policy.KeepTagsMatching));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteRetentionPolicyAsync(string pattern, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        return ValueTask.FromResult(Execute(c, null, "DELETE FROM retention_policies WHERE pattern=$p", ("$p", pattern)) > 0);
    }

    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null,
            "SELECT media_type, size, artifact_type, subject, annotations, pushed_at, pushed_by, digest FROM manifests WHERE repository=$r ORDER BY pushed_at DESC, digest",
            ("$r", repository));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<ManifestRecord>();
        while (reader.Read())
        {
            list.Add(ReadManifest(reader, repository, reader.GetString(7)));
        }

        return ValueTask.FromResult<IReadOnlyList<ManifestRecord>>(list);
    }
}
