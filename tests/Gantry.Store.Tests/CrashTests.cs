using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Gantry.Store.Tests;

public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CrashWriter_SigkilledMidLoop_EveryCommittedWriteSurvivesAndFileIsIntact()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.DisposeAsync();

        for (var round = 1; round <= 2; round++)
        {
            var (lastByName, lastRevision, eventIds, rate) = await RunAndKillAsync(temp.Path, commits: 150);
            output.WriteLine($"round {round}: {eventIds.Count} committed write groups before SIGKILL, {rate:0} groups/s (3 transactions each)");

            Assert.Equal("ok", SqliteFile.Query(temp.Path, "PRAGMA integrity_check;"));
            var store = await temp.OpenAsync();
            foreach (var (name, i) in lastByName)
            {
                var stored = await store.GetAsync(CrashWriter.Kind, name);
                Assert.NotNull(stored);
                // Writes may have committed after the last line the writer managed to print, never fewer.
                var storedI = JsonDocument.Parse(stored.SpecJson).RootElement.GetProperty("i").GetInt32();
                Assert.True(storedI >= i, $"{name}: stored write {storedI} is older than committed write {i}");
                Assert.Equal(name, CrashWriter.NameFor(storedI));
                Assert.NotNull(stored.StatusJson);
            }
            var events = await store.ListEventsAsync(new EventQuery { App = "crash", AfterId = eventIds[0] - 1, Limit = 10_000 });
            Assert.Subset(events.Select(e => e.Id).ToHashSet(), eventIds.ToHashSet());

            var after = await store.CreateAsync("After", $"round{round}", "{}");
            Assert.True(after.ResourceVersion > lastRevision);
            await store.DisposeAsync();
        }
    }

    private static async Task<(Dictionary<string, int> LastByName, long LastRevision, List<long> EventIds, double Rate)> RunAndKillAsync(string path, int commits)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("crash-writer");
        start.ArgumentList.Add(path);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var lastByName = new Dictionary<string, int>();
        var eventIds = new List<long>();
        long lastRevision = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (eventIds.Count < commits)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"the crash writer exited early: {await stderr}");
                }
                var parts = line.Split(' ');
                var i = int.Parse(parts[1], CultureInfo.InvariantCulture);
                lastByName[CrashWriter.NameFor(i)] = i;
                lastRevision = long.Parse(parts[2], CultureInfo.InvariantCulture);
                eventIds.Add(long.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no finally blocks, no dispose, no checkpoint in the child.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return (lastByName, lastRevision, eventIds, commits / clock.Elapsed.TotalSeconds);
    }

    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
