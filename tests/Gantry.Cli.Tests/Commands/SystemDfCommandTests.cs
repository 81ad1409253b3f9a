using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class SystemDfCommandTests
{
    private static readonly DiskUsageView Usage = new("/var/lib/gantry",
    [
        new DiskUsagePart(DiskUsageParts.Store, 3 * 1024 * 1024) { Path = "/var/lib/gantry/gantry.db", Items = 3 },
        new DiskUsagePart(DiskUsageParts.Bundles, 1536) { Path = "/var/lib/gantry/bundles", Items = 2 },
        new DiskUsagePart(DiskUsageParts.Registry, 0) { Path = "/var/lib/gantry/registry" },
        new DiskUsagePart(DiskUsageParts.Logs, 0) { Note = "the server was not started with a log directory (--log-file)" },
        new DiskUsagePart(DiskUsageParts.ReleaseImages, 200L * 1024 * 1024) { Items = 4 },
        new DiskUsagePart(DiskUsageParts.Other, 512) { Path = "/var/lib/gantry", Items = 3 },
    ])
    { DataDirectoryBytes = 3 * 1024 * 1024 + 2048 };

    [Fact]
    public async Task SystemDf_Table_ShowsEveryPartWithItsSize()
    {
        string? path = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            path = $"{ctx.Request.Method} {ctx.Request.Path}";
            return TestServer.WriteJsonAsync(ctx, Usage, ApiJsonContext.Default.DiskUsageView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("system", "df");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("GET /api/v1/system/df", path);
        var lines = h.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^PART\s+SIZE\s+ITEMS\s+WHERE", lines[0]);
        Assert.Matches(@"^store\s+3 MiB\s+3\s+/var/lib/gantry/gantry\.db", lines[1]);
        Assert.Matches(@"^bundles\s+1\.5 KiB\s+2\s+/var/lib/gantry/bundles", lines[2]);
        Assert.Matches(@"^logs\s+0 B\s+0\s+-", lines[4]);
        Assert.Matches(@"^release-images\s+200 MiB\s+4\s+\(engine\)", lines[5]);
        Assert.Contains("data directory /var/lib/gantry: 3 MiB", h.Out, StringComparison.Ordinal);
        Assert.Contains("logs: the server was not started with a log directory", h.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemDf_Json_WritesTheApiJson()
    {
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, Usage, ApiJsonContext.Default.DiskUsageView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("system", "df", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.DiskUsageView)!;
        Assert.Equal([DiskUsageParts.Store, DiskUsageParts.Bundles, DiskUsageParts.Registry, DiskUsageParts.Logs, DiskUsageParts.ReleaseImages, DiskUsageParts.Other],
            parsed.Parts.Select(p => p.Name));
        Assert.Equal(200L * 1024 * 1024, parsed.Parts[4].Bytes);
    }
}
