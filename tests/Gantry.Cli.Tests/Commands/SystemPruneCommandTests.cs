using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class SystemPruneCommandTests
{
    private static PruneReport Report(bool dryRun) => new(dryRun,
        [new PrunedRelease("shop", 1, "superseded"), new PrunedRelease("shop", 2, "failed")],
        [
            new PrunedImage("sha256:0123456789abcdef0123", ["shop.1"]) { Bytes = 10 * 1024 * 1024, Outcome = dryRun ? PruneOutcomes.WouldRemove : PruneOutcomes.Removed },
            new PrunedImage("sha256:fedcba9876543210fedc", ["shop.2"]) { Bytes = 5 * 1024 * 1024, Outcome = dryRun ? PruneOutcomes.WouldRemove : PruneOutcomes.InUse },
        ])
    {
        KeepReleases = 10,
        StoreBytesBefore = 8 * 1024 * 1024,
        StoreBytesAfter = dryRun ? 8 * 1024 * 1024 : 2 * 1024 * 1024,
    };

    private static Task<TestServer> ServerAsync(List<string> seen) => TestServer.StartAsync(ctx =>
    {
        var dryRun = ctx.Request.Query["dryRun"] == "true";
        seen.Add($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
        return TestServer.WriteJsonAsync(ctx, Report(dryRun), ApiJsonContext.Default.PruneReport);
    });

    [Fact]
    public async Task SystemPrune_DryRun_AsksForADryRunAndSaysWhatWouldGo()
    {
        var seen = new List<string>();
        await using var server = await ServerAsync(seen);
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("system", "prune", "--dry-run");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["POST /api/v1/system/prune?dryRun=true"], seen);
        Assert.Contains("would remove release shop 1 (superseded)", h.Out, StringComparison.Ordinal);
        Assert.Contains("would remove image 0123456789ab (10 MiB) of shop.1", h.Out, StringComparison.Ordinal);
        Assert.Contains("would free 15 MiB of images", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemPrune_Run_RemovesAndReportsWhatStayed()
    {
        var seen = new List<string>();
        await using var server = await ServerAsync(seen);
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("system", "prune");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["POST /api/v1/system/prune"], seen);
        Assert.Contains("removed release shop 2 (failed)", h.Out, StringComparison.Ordinal);
        Assert.Contains("removed image 0123456789ab (10 MiB) of shop.1", h.Out, StringComparison.Ordinal);
        Assert.Contains("kept (a container uses it) image fedcba987654 (5 MiB) of shop.2", h.Out, StringComparison.Ordinal);
        Assert.Contains("freed 10 MiB of images and", h.Out, StringComparison.Ordinal);
        Assert.Contains("store 8 MiB → 2 MiB", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemPrune_Json_WritesTheApiJson()
    {
        var seen = new List<string>();
        await using var server = await ServerAsync(seen);
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("system", "prune", "--dry-run", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.PruneReport)!;
        Assert.True(parsed.DryRun);
        Assert.Equal([1L, 2], parsed.Releases.Select(r => r.Number));
    }
}
