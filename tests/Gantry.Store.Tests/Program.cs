using System.Globalization;
using Gantry.Store.Sqlite;

namespace Gantry.Store.Tests;

/// <summary>
/// Entry point used only by <see cref="CrashTests"/>: "crash-writer PATH" writes to the store in a loop and prints
/// each committed write, until the parent test SIGKILLs it. The test runner never calls Main.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "crash-writer")
        {
            await Console.Error.WriteLineAsync("usage: Gantry.Store.Tests crash-writer DATABASE-PATH");
            return 2;
        }
        await using var store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = args[1], CompactEveryWrites = 16, ChangeLogRetainCount = 100 }, TimeProvider.System, CancellationToken.None);
        var output = Console.Out;
        for (var i = 1; ; i++)
        {
            var name = CrashWriter.NameFor(i);
            var spec = await store.UpsertSpecAsync(CrashWriter.Kind, name, string.Create(CultureInfo.InvariantCulture, $$"""{"i":{{i}}}"""), null);
            var status = await store.UpdateStatusAsync(CrashWriter.Kind, name, string.Create(CultureInfo.InvariantCulture, $$"""{"seen":{{i}}}"""), spec.Generation);
            var e = await store.AppendEventAsync(new NewEvent(CrashWriter.Kind, name, "Normal", "Wrote", $"write {i}", App: "crash"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {i} {status.ResourceVersion} {e.Id}"));
            await output.FlushAsync();
        }
    }
}
