using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The SQLite file: one long-lived writer connection behind a lock (SQLite allows one writer anyway, and the lock
/// keeps commit order equal to publish order), and pooled reader connections that run beside it thanks to WAL.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _busyTimeoutMs;
    private readonly FileStream? _lock;
    private readonly long _vacuumThresholdBytes;
    private bool _reclaimRequested;
    private bool _disposed;

    private SqliteDatabase(string connectionString, SqliteConnection writer, int busyTimeoutMs, FileStream? fileLock, long vacuumThresholdBytes)
    {
        _connectionString = connectionString;
        _writer = writer;
        _busyTimeoutMs = busyTimeoutMs;
        _lock = fileLock;
        _vacuumThresholdBytes = vacuumThresholdBytes;
    }

    public string FilePath => _writer.DataSource;

    public static async Task<SqliteDatabase> OpenAsync(SqliteStoreOptions options, TimeProvider time, CancellationToken ct)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }
        var path = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var busyMs = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, busyMs / 1000),
        }.ToString();

        var fileLock = options.ExclusiveLock ? AcquireLock(path) : null;
        var writer = new SqliteConnection(connectionString);
        try
        {
            await writer.OpenAsync(ct).ConfigureAwait(false);
            // WAL: readers never block the writer and a torn write cannot corrupt committed pages.
            var mode = Scalar(writer, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(Convert.ToString(mode, CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Could not switch '{path}' to WAL journal mode (got '{mode}'); put the database on a local file system.");
            }
            Configure(writer, busyMs);
            // A checkpoint that resets the WAL also truncates it to this size, so one burst cannot leave a large file behind.
            Scalar(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {WalSizeLimitBytes};"));
            SqliteSchema.Migrate(writer, time.GetUtcNow());
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearPool(writer);
            fileLock?.Dispose();
            throw;
        }
        return new SqliteDatabase(connectionString, writer, busyMs, fileLock, options.VacuumThresholdBytes);
    }

    /// <summary>A reader connection; dispose it to return it to the pool.</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            Configure(connection, _busyTimeoutMs);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate transaction on the writer, commits, then runs
    /// <paramref name="afterCommit"/> still under the lock, so side effects (watch broadcasts) follow commit order.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, Action<T>? afterCommit, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            T result;
            using (var tx = _writer.BeginTransaction(deferred: false))
            {
                result = work(_writer, tx);
                tx.Commit();
            }
            afterCommit?.Invoke(result);
            if (_reclaimRequested)
            {
                // After the broadcast, so watchers never wait for the file's housekeeping.
                _reclaimRequested = false;
                Reclaim(_vacuumThresholdBytes);
            }
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Asks for <see cref="Reclaim"/> after the current write commits; call it from inside a write's work.</summary>
    public void RequestReclaim() => _reclaimRequested = true;

    /// <summary>Gives space back under the write lock: see <see cref="Reclaim"/>.</summary>
    public async Task<long> ReclaimAsync(long vacuumThresholdBytes, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Reclaim(vacuumThresholdBytes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Returns free pages to the file system (incremental vacuum) once they add up to <paramref name="vacuumThresholdBytes"/>,
    /// then checkpoints the WAL into the main file and truncates it. Runs outside any transaction (a checkpoint cannot run
    /// inside one). Housekeeping only: a busy reader or a failure leaves it for the next time. Returns the bytes freed.
    /// </summary>
    private long Reclaim(long vacuumThresholdBytes)
    {
        try
        {
            var pageSize = Convert.ToInt64(Scalar(_writer, "PRAGMA page_size;"), CultureInfo.InvariantCulture);
            var freeBytes = Convert.ToInt64(Scalar(_writer, "PRAGMA freelist_count;"), CultureInfo.InvariantCulture) * pageSize;
            if (freeBytes > 0 && freeBytes >= vacuumThresholdBytes)
            {
                using var vacuum = _writer.CreateCommand();
                vacuum.CommandText = "PRAGMA incremental_vacuum;";
                vacuum.ExecuteNonQuery();
            }
            else
            {
                freeBytes = 0;
            }
            // TRUNCATE waits for readers on older snapshots; a short wait keeps the writer's callers from stalling behind a
            // long read, and an unfinished checkpoint is simply done at the next reclaim (or by SQLite's own auto-checkpoint).
            Scalar(_writer, "PRAGMA busy_timeout = 100;");
            try
            {
                Scalar(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            finally
            {
                Configure(_writer, _busyTimeoutMs);
            }
            return freeBytes;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            try
            {
                // Fold the WAL back into the main file so a copied .db is complete on its own.
                Scalar(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            catch (SqliteException)
            {
                // Readers still open keep the WAL; the next open checkpoints it.
            }
            await _writer.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearPool(_writer);
            _lock?.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>What the WAL is cut back to after a checkpoint (SQLite's journal_size_limit).</summary>
    public const long WalSizeLimitBytes = 16L << 20;

    private static FileStream AcquireLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            // FileShare.None is an advisory flock on Unix: exclusive across processes, released by the kernel on exit.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The store '{path}' is in use by another Gantry server (lock '{lockPath}' is held). Stop that server, or give this one its own data directory.", ex);
        }
    }

    private static void Configure(SqliteConnection connection, int busyTimeoutMs)
    {
        // FULL: the WAL is fsynced on every commit, so a committed write survives a power cut, not just a process kill.
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
