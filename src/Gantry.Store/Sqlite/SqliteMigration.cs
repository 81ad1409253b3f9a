namespace Gantry.Store.Sqlite;

/// <summary>One schema step: SQL run in the version's transaction, or (for VACUUM and friends) before it.</summary>
internal sealed record SqliteMigration(string Sql, bool OutsideTransaction = false)
{
    public static implicit operator SqliteMigration(string sql) => new(sql);
}
