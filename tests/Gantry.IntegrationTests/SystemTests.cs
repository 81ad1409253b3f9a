using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;

namespace Gantry.IntegrationTests;

/// <summary>`gantry system df` and `prune` through the real server and its data directory.</summary>
public sealed class SystemTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task SystemDf_RealServer_MeasuresTheDataDirectoryByPart()
    {
        var df = await fixture.Cli.RunAsync(Path.GetTempPath(), "system", "df", "--output", "json");

        Assert.True(df.ExitCode == 0, df.ToString());
        var usage = JsonSerializer.Deserialize(df.Output, ApiJsonContext.Default.DiskUsageView)!;
        Assert.Equal(Path.GetFullPath(fixture.Server.DataDirectory), usage.DataDirectory);
        Assert.Equal([DiskUsageParts.Store, DiskUsageParts.Bundles, DiskUsageParts.Registry, DiskUsageParts.Metrics, DiskUsageParts.ReplicaLogs, DiskUsageParts.Git, DiskUsageParts.Builds, DiskUsageParts.Logs, DiskUsageParts.ReleaseImages, DiskUsageParts.Other],
            usage.Parts.Select(p => p.Name));
        var store = usage.Parts[0];
        Assert.Equal(Path.Combine(usage.DataDirectory, "gantry.db"), store.Path);
        Assert.True(store.Bytes >= new FileInfo(store.Path!).Length && store.Bytes > 0, $"store {store.Bytes} bytes");
        // The parts inside the data directory add up to what is in it (the walk and the parts run a moment apart: allow the WAL to move).
        var inside = usage.Parts.Where(p => p.Name != DiskUsageParts.ReleaseImages && p.Name != DiskUsageParts.Logs).Sum(p => p.Bytes);
        Assert.InRange(inside, usage.DataDirectoryBytes - (1 << 20), usage.DataDirectoryBytes + (1 << 20));

        var table = await fixture.Cli.RunAsync(Path.GetTempPath(), "system", "df");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"(?m)^store\s+\d", table.Output);

        var prune = await fixture.Cli.RunAsync(Path.GetTempPath(), "system", "prune", "--dry-run", "--output", "json");
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.True(JsonSerializer.Deserialize(prune.Output, ApiJsonContext.Default.PruneReport)!.DryRun);
    }
}
