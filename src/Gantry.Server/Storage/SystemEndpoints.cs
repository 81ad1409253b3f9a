using Gantry.Model.Api;
using Gantry.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;

namespace Gantry.Server.Storage;

/// <summary>The /api/v1/system group: disk usage by part, and pruning by the retention rules.</summary>
public static class SystemEndpoints
{
    public static RouteGroupBuilder MapSystemEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/system").WithTags("system");
        group.MapGet("/df", DiskUsageAsync).WithName("DiskUsage").Access(AccessKind.Admin);
        group.MapPost("/prune", PruneAsync).WithName("Prune").Access(AccessKind.Admin);
        return group;
    }

    private static async Task<IResult> DiskUsageAsync(DiskUsageService usage, CancellationToken ct) =>
        Results.Json(await usage.MeasureAsync(ct), ApiJsonContext.Default.DiskUsageView);

    /// <summary>Releases and images past the retention, then the store's compaction; with dryRun=true only the report.</summary>
    private static async Task<IResult> PruneAsync(RetentionService retention, SqliteResourceStore store, bool? dryRun, CancellationToken ct)
    {
        var report = await retention.PruneAsync(dryRun ?? false, ct);
        if (report.DryRun)
        {
            var size = StoreFiles.SizeOf(store.FilePath);
            return Results.Json(report with { StoreBytesBefore = size, StoreBytesAfter = size }, ApiJsonContext.Default.PruneReport);
        }
        var compaction = await store.CompactAsync(ct);
        return Results.Json(report with
        {
            StoreBytesBefore = compaction.BytesBefore,
            StoreBytesAfter = compaction.BytesAfter,
            StoreRowsRemoved = compaction.ChangesRemoved + compaction.EventsRemoved,
        }, ApiJsonContext.Default.PruneReport);
    }
}
