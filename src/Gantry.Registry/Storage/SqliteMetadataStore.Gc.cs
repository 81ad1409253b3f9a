using Gantry.Registry.Gc;
using Microsoft.Data.Sqlite;

namespace Gantry.Registry.Storage;

/// <summary>What the garbage collector reads beyond the content's own tables: who holds a digest (its preview), and its kept runs.</summary>
public sealed partial class SqliteMetadataStore
{
    public ValueTask<IReadOnlyList<(string Repository, string Manifest)>> ListDigestHoldersAsync(string digest, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null, """
            SELECT repository, digest FROM manifests WHERE digest=$d
            UNION SELECT repository, manifest FROM manifest_references WHERE child=$d
            """, ("$d", digest));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<(string, string)>();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }

        return ValueTask.FromResult<IReadOnlyList<(string Repository, string Manifest)>>(list);
    }

    public ValueTask<IReadOnlyList<GarbageCollectionRun>> ListGcRunsAsync(int limit, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteCommand command = Command(c, null,
            "SELECT id, started_at, finished_at, started_by, tags, manifests, blobs, bytes, uploads, error FROM gc_runs ORDER BY id DESC LIMIT $n", ("$n", limit));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<GarbageCollectionRun>();
        while (reader.Read())
        {
            string? error = reader.IsDBNull(9) ? null : reader.GetString(9);
            list.Add(new GarbageCollectionRun(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.IsDBNull(3) ? null : reader.GetString(3))
            {
                FinishedAt = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Report = error is null ? new GarbageCollectionReport(reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt64(7), reader.GetInt32(8)) : null,
                Error = error,
            });
        }

        return ValueTask.FromResult<IReadOnlyList<GarbageCollectionRun>>(list);
    }

    public ValueTask AddGcRunAsync(GarbageCollectionRun run, int keep, CancellationToken ct)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction tx = c.BeginTransaction();
        GarbageCollectionReport? r = run.Report;
        Execute(c, tx, """
            INSERT OR REPLACE INTO gc_runs(id, started_at, finished_at, started_by, tags, manifests, blobs, bytes, uploads, error)
            VALUES($id, $s, $f, $by, $t, $m, $b, $bytes, $u, $e)
            """, ("$id", run.Id), ("$s", run.StartedAt.ToUnixTimeMilliseconds()), ("$f", run.FinishedAt?.ToUnixTimeMilliseconds()), ("$by", run.StartedBy),
            ("$t", r?.TagsDeleted ?? 0), ("$m", r?.ManifestsDeleted ?? 0), ("$b", r?.BlobsDeleted ?? 0), ("$bytes", r?.BytesFreed ?? 0L), ("$u", r?.UploadsExpired ?? 0),
            ("$e", run.Error));
        Execute(c, tx, "DELETE FROM gc_runs WHERE id NOT IN (SELECT id FROM gc_runs ORDER BY id DESC LIMIT $n)", ("$n", keep));
        tx.Commit();
        return ValueTask.CompletedTask;
    }
}
