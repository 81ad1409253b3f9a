using Gantry.Store.Watching;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, every write one immediate transaction,
/// committed changes broadcast to watchers in commit order and logged for replay.
/// </summary>
public sealed class SqliteResourceStore : IResourceStore, IAuditLog
{
    private const string Revision = "revision";
    private const string CompactedThrough = "changes_compacted_through";

    private readonly SqliteDatabase _db;
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ChangeFeed<ResourceChange> _changes = new();
    private readonly ChangeFeed<EventRecord> _events = new();
    private readonly SqliteChangeSource _source;
    private long _writesSinceCompaction;

    private SqliteResourceStore(SqliteDatabase db, SqliteStoreOptions options, TimeProvider time)
    {
        _db = db;
        _options = options;
        _time = time;
        _source = new SqliteChangeSource(db);
    }

    /// <summary>Opens (creating if needed) the database at <see cref="SqliteStoreOptions.Path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteResourceStore> OpenAsync(SqliteStoreOptions options, TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var db = await SqliteDatabase.OpenAsync(options, time, ct).ConfigureAwait(false);
        return new SqliteResourceStore(db, options, time);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _db.FilePath;

    public async Task<StoredResource?> GetAsync(string kind, string name, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenReaderAsync(ct).ConfigureAwait(false);
        return SqliteResourceSql.Get(connection, null, kind, name);
    }

    public async Task<IReadOnlyList<StoredResource>> ListAsync(string kind, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenReaderAsync(ct).ConfigureAwait(false);
        return SqliteResourceSql.List(connection, null, kind);
    }

    public Task<StoredResource> CreateAsync(string kind, string name, string specJson, CancellationToken ct = default)
    {
        JsonDocuments.ValidateName(kind, name);
        JsonDocuments.Validate(specJson, kind, name, "spec");
        return WriteResourceAsync((connection, tx) => CreateIn(connection, tx, kind, name, specJson), ct);
    }

    public Task<StoredResource> UpsertSpecAsync(string kind, string name, string specJson, long? expectedResourceVersion, CancellationToken ct = default)
    {
        JsonDocuments.ValidateName(kind, name);
        JsonDocuments.Validate(specJson, kind, name, "spec");
        return WriteResourceAsync((connection, tx) => UpsertSpecIn(connection, tx, kind, name, specJson, expectedResourceVersion), ct);
    }

    public Task<StoredResource> UpdateStatusAsync(string kind, string name, string statusJson, long observedGeneration, long? expectedResourceVersion = null, CancellationToken ct = default)
    {
        JsonDocuments.ValidateName(kind, name);
        JsonDocuments.Validate(statusJson, kind, name, "status");
        return WriteResourceAsync((connection, tx) => UpdateStatusIn(connection, tx, kind, name, statusJson, observedGeneration, expectedResourceVersion), ct);
    }

    public async Task<StoreBatchResult> CommitAsync(StoreBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (resources, changes, events) = await _db.WriteAsync((connection, tx) =>
        {
            var resources = new List<StoredResource?>(batch.Writes.Count);
            var changes = new List<ResourceChange>(batch.Writes.Count);
            foreach (var write in batch.Writes)
            {
                (StoredResource? resource, ResourceChange? change) = write.Operation switch
                {
                    ResourceWriteKind.Create => CreateIn(connection, tx, write.Kind, write.Name, write.Json),
                    ResourceWriteKind.UpsertSpec => UpsertSpecIn(connection, tx, write.Kind, write.Name, write.Json, write.ExpectedResourceVersion),
                    ResourceWriteKind.UpdateStatus => UpdateStatusIn(connection, tx, write.Kind, write.Name, write.Json, write.ObservedGeneration, write.ExpectedResourceVersion),
                    ResourceWriteKind.Delete => DeleteIn(connection, tx, write.Kind, write.Name, write.ExpectedResourceVersion),
                    _ => throw new ArgumentOutOfRangeException(nameof(batch), write.Operation, "unknown write"),
                };
                resources.Add(resource);
                if (change is not null)
                {
                    changes.Add(change);
                }
            }
            var now = Now();
            var events = batch.Events.Select(e => SqliteEventSql.Append(connection, tx, e, now, _options.MaxEventsPerApp, _options.EventRetainAge)).ToList();
            if (changes.Count > 0)
            {
                CompactNowAndThen(connection, tx, changes[^1].ResourceVersion, changes.Count);
            }
            return (resources, changes, events);
        }, written =>
        {
            foreach (var change in written.changes)
            {
                _changes.Publish(change);
            }
            foreach (var e in written.events)
            {
                _events.Publish(e);
            }
        }, ct).ConfigureAwait(false);
        return new StoreBatchResult(resources, events);
    }

    private (StoredResource, ResourceChange?) CreateIn(SqliteConnection connection, SqliteTransaction tx, string kind, string name, string specJson)
    {
        if (SqliteResourceSql.Get(connection, tx, kind, name) is { } existing)
        {
            throw AlreadyExists(existing);
        }
        return Created(connection, tx, kind, name, specJson);
    }

    private (StoredResource, ResourceChange?) UpsertSpecIn(SqliteConnection connection, SqliteTransaction tx, string kind, string name, string specJson, long? expectedResourceVersion)
    {
        var existing = SqliteResourceSql.Get(connection, tx, kind, name);
        CheckExpected(kind, name, expectedResourceVersion, existing);
        if (existing is null)
        {
            return Created(connection, tx, kind, name, specJson);
        }
        if (existing.IsBeingDeleted)
        {
            throw new ConflictException(kind, name,
                $"{kind} '{name}' is being deleted (requested at {existing.DeletionRequestedAt:O}); wait until the deletion finishes, then apply it again.");
        }
        if (JsonDocuments.SameDocument(existing.SpecJson, specJson))
        {
            return (existing, null);
        }
        var now = Now();
        var updated = existing with
        {
            SpecJson = specJson,
            Generation = existing.Generation + 1,
            ResourceVersion = SqliteResourceSql.NextRevision(connection, tx),
            UpdatedAt = now,
        };
        return Written(connection, tx, ResourceChangeType.Modified, updated, now);
    }

    private (StoredResource, ResourceChange?) UpdateStatusIn(SqliteConnection connection, SqliteTransaction tx, string kind, string name, string statusJson, long observedGeneration, long? expectedResourceVersion)
    {
        var existing = SqliteResourceSql.Get(connection, tx, kind, name);
        CheckExpected(kind, name, expectedResourceVersion, existing);
        if (existing is null)
        {
            throw new NotFoundException(kind, name);
        }
        if (existing.ObservedGeneration == observedGeneration && JsonDocuments.SameDocument(existing.StatusJson, statusJson))
        {
            return (existing, null);
        }
        var now = Now();
        var updated = existing with
        {
            StatusJson = statusJson,
            ObservedGeneration = observedGeneration,
            ResourceVersion = SqliteResourceSql.NextRevision(connection, tx),
            UpdatedAt = now,
        };
        return Written(connection, tx, ResourceChangeType.Modified, updated, now);
    }

    public Task<StoredResource> RequestDeletionAsync(string kind, string name, CancellationToken ct = default)
    {
        JsonDocuments.ValidateName(kind, name);
        return WriteResourceAsync((connection, tx) =>
        {
            var existing = SqliteResourceSql.Get(connection, tx, kind, name) ?? throw new NotFoundException(kind, name);
            if (existing.IsBeingDeleted)
            {
                return (existing, null);
            }
            var now = Now();
            var updated = existing with
            {
                DeletionRequestedAt = now,
                ResourceVersion = SqliteResourceSql.NextRevision(connection, tx),
                UpdatedAt = now,
            };
            return Written(connection, tx, ResourceChangeType.Modified, updated, now);
        }, ct);
    }

    public async Task<bool> DeleteAsync(string kind, string name, long? expectedResourceVersion = null, CancellationToken ct = default)
    {
        JsonDocuments.ValidateName(kind, name);
        var deleted = await WriteResourceAsync((connection, tx) => DeleteIn(connection, tx, kind, name, expectedResourceVersion), ct).ConfigureAwait(false);
        return deleted is not null;
    }

    private (StoredResource?, ResourceChange?) DeleteIn(SqliteConnection connection, SqliteTransaction tx, string kind, string name, long? expectedResourceVersion)
    {
        var existing = SqliteResourceSql.Get(connection, tx, kind, name);
        CheckExpected(kind, name, expectedResourceVersion, existing);
        if (existing is null)
        {
            return (null, null);
        }
        SqliteResourceSql.Remove(connection, tx, kind, name);
        var last = existing with { ResourceVersion = SqliteResourceSql.NextRevision(connection, tx) };
        return Written(connection, tx, ResourceChangeType.Deleted, last, Now());
    }

    public IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, CancellationToken ct) =>
        WatchStream.RunAsync(_source, _changes, kind, null, _options.WatchBufferCapacity, ct);

    public IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, long afterResourceVersion, CancellationToken ct) =>
        WatchStream.RunAsync(_source, _changes, kind, afterResourceVersion, _options.WatchBufferCapacity, ct);

    public Task<EventRecord> AppendEventAsync(NewEvent e, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        JsonDocuments.ValidateName(e.Kind, e.Name);
        return _db.WriteAsync(
            (connection, tx) => SqliteEventSql.Append(connection, tx, e, Now(), _options.MaxEventsPerApp, _options.EventRetainAge),
            _events.Publish,
            ct);
    }

    public async Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery q, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(q);
        await using var connection = await _db.OpenReaderAsync(ct).ConfigureAwait(false);
        return SqliteEventSql.List(connection, q);
    }

    public IAsyncEnumerable<EventRecord> FollowEventsAsync(EventQuery q, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(q);
        return EventFollow.RunAsync(ListEventsAsync, _events, q, _options.WatchBufferCapacity, ct);
    }

    public Task<AuditRecord> AppendAuditAsync(NewAuditRecord entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _db.WriteAsync(
            (connection, tx) => SqliteAuditSql.Append(connection, tx, entry, Now(), _options.MaxAuditEntries, _options.AuditRetainAge),
            null,
            ct);
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _db.OpenReaderAsync(ct).ConfigureAwait(false);
        return SqliteAuditSql.List(connection, query);
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenReaderAsync(ct).ConfigureAwait(false);
        using var command = SqliteResourceSql.Command(connection, null, "SELECT value FROM settings WHERE key = $key;");
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    public Task SetSettingAsync(string key, string value, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        return _db.WriteAsync((connection, tx) =>
        {
            using var command = SqliteResourceSql.Command(connection, tx,
                "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            return command.ExecuteNonQuery();
        }, null, ct);
    }

    /// <summary>
    /// Applies every retention rule now rather than at the next write (the change log's bounds, the events' age) and gives
    /// the freed space back to the file system, whatever its amount; `gantry system prune` calls it.
    /// </summary>
    public async Task<StoreCompaction> CompactAsync(CancellationToken ct = default)
    {
        var before = StoreFiles.SizeOf(FilePath);
        var (changes, events) = await _db.WriteAsync((connection, tx) =>
        {
            var now = Now();
            var revision = SqliteResourceSql.ReadMeta(connection, tx, Revision);
            return (SqliteResourceSql.Compact(connection, tx, revision, ChangeLogBounds.From(_options, now)),
                SqliteEventSql.Expire(connection, tx, now - _options.EventRetainAge));
        }, null, ct).ConfigureAwait(false);
        await _db.ReclaimAsync(0, ct).ConfigureAwait(false);
        return new StoreCompaction(changes, events, before, StoreFiles.SizeOf(FilePath));
    }

    /// <summary>Closes the file; running watches and follows end.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Close();
        _events.Close();
        await _db.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> WriteResourceAsync<T>(Func<SqliteConnection, SqliteTransaction, (T Result, ResourceChange? Change)> work, CancellationToken ct)
    {
        var (result, _) = await _db.WriteAsync(
            (connection, tx) =>
            {
                var outcome = work(connection, tx);
                if (outcome.Change is not null)
                {
                    CompactNowAndThen(connection, tx, outcome.Change.ResourceVersion, 1);
                }
                return outcome;
            },
            outcome =>
            {
                if (outcome.Change is not null)
                {
                    _changes.Publish(outcome.Change);
                }
            },
            ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Bounds the change log every so many resource writes (inside the write's transaction).</summary>
    private void CompactNowAndThen(SqliteConnection connection, SqliteTransaction tx, long revision, int writes)
    {
        _writesSinceCompaction += writes;
        if (_writesSinceCompaction < _options.CompactEveryWrites)
        {
            return;
        }
        _writesSinceCompaction = 0;
        if (SqliteResourceSql.Compact(connection, tx, revision, ChangeLogBounds.From(_options, Now())) > 0)
        {
            _db.RequestReclaim();
        }
    }

    private (StoredResource, ResourceChange?) Created(SqliteConnection connection, SqliteTransaction tx, string kind, string name, string specJson)
    {
        var now = Now();
        var created = new StoredResource(kind, name, Guid.CreateVersion7(now).ToString(), 1,
            SqliteResourceSql.NextRevision(connection, tx), specJson, null, 0, now, now, null);
        return Written(connection, tx, ResourceChangeType.Added, created, now);
    }

    private static (StoredResource, ResourceChange?) Written(SqliteConnection connection, SqliteTransaction tx, ResourceChangeType type, StoredResource resource, DateTimeOffset now)
    {
        if (type != ResourceChangeType.Deleted)
        {
            SqliteResourceSql.Put(connection, tx, resource);
        }
        var change = new ResourceChange(type, resource, resource.ResourceVersion);
        SqliteResourceSql.LogChange(connection, tx, change, now);
        return (resource, change);
    }

    private static void CheckExpected(string kind, string name, long? expected, StoredResource? existing)
    {
        if (expected is not { } version)
        {
            return;
        }
        var actual = existing?.ResourceVersion;
        if (version == 0 ? actual is not null : actual != version)
        {
            throw new ConcurrencyException(kind, name, version, actual);
        }
    }

    private static ConflictException AlreadyExists(StoredResource existing) => new(existing.Kind, existing.Name,
        existing.IsBeingDeleted
            ? $"{existing.Kind} '{existing.Name}' already exists and is being deleted; wait until the deletion finishes, then create it again."
            : $"{existing.Kind} '{existing.Name}' already exists; update it instead, or pick another name.")
    {
        NameTaken = !existing.IsBeingDeleted,
    };

    // Millisecond precision is what the file stores, so returned values equal re-read values.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    internal const string RevisionKey = Revision;
    internal const string CompactedThroughKey = CompactedThrough;
}
