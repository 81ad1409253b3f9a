namespace Gantry.Store.Sqlite;

/// <summary>What one explicit compaction removed, and the store's files (database, WAL, index) before and after it, in bytes.</summary>
public sealed record StoreCompaction(long ChangesRemoved, long EventsRemoved, long BytesBefore, long BytesAfter);
