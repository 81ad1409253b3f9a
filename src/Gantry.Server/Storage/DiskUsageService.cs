using Gantry.Controllers.Engine;
using Gantry.Model.Api;
using Gantry.Server.Hosting;
using Gantry.Store.Sqlite;

namespace Gantry.Server.Storage;

/// <summary>Measures what Gantry keeps, by part (`gantry system df`): the data directory's store, bundles, registry, metrics,
/// git repositories and build logs, the logs, and the engine's images that releases reference.</summary>
public sealed class DiskUsageService(DataDirectory data, ServerOptions options, RetentionService retention, IEngineDriver engine, Metrics.MetricsStore metrics, Logs.LogStore replicaLogs)
{
    public async Task<DiskUsageView> MeasureAsync(CancellationToken ct)
    {
        var parts = new List<DiskUsagePart>();
        var store = StoreFiles.Of(data.StorePath).Where(File.Exists).ToList();
        parts.Add(new DiskUsagePart(DiskUsageParts.Store, StoreFiles.SizeOf(data.StorePath))
        {
            Path = data.StorePath,
            Items = store.Count,
            Note = "SQLite database, WAL and index",
        });
        parts.Add(Directory(DiskUsageParts.Bundles, data.BundlesDirectory, "uploaded deploy bundles"));
        parts.Add(Directory(DiskUsageParts.Registry, data.RegistryDirectory, "blobs and manifests pushed to the built-in registry"));
        var dropped = metrics.Dropped > 0 ? $", {metrics.Dropped} oldest points dropped to stay within it" : "";
        parts.Add(Directory(DiskUsageParts.Metrics, data.MetricsDirectory,
            $"the metrics history: {metrics.SeriesCount} series within a {Gantry.Controllers.Resources.Bytes.Format(metrics.BudgetBytes)} budget{dropped}"));
        var (apps, segments, _, lines) = replicaLogs.Totals();
        parts.Add(Directory(DiskUsageParts.ReplicaLogs, data.ReplicaLogsDirectory,
            $"the replicas' output: {lines} lines of {apps} apps in {segments} segments, within {Gantry.Controllers.Resources.Bytes.Format(replicaLogs.Options.MaxBytes)} and {Humanize(replicaLogs.Options.MaxAge)}"));
        parts.Add(Directory(DiskUsageParts.Git, data.GitDirectory, "the apps' git repositories (`git push` deploys)"));
        parts.Add(Directory(DiskUsageParts.Builds, data.BuildsDirectory, "the kept logs of pushed builds"));
        parts.Add(options.LogDirectory is { } logs
            ? Directory(DiskUsageParts.Logs, logs, "server, router and access logs, rotated by size")
            : new DiskUsagePart(DiskUsageParts.Logs, 0) { Note = "the server was not started with a log directory (--log-file)" });
        parts.Add(await ReleaseImagesAsync(ct).ConfigureAwait(false));

        var (total, files) = DirectorySize.Of(data.Root);
        var inside = parts.Where(p => p.Path is { } path && DirectorySize.IsInside(path, data.Root)).ToList();
        parts.Add(new DiskUsagePart(DiskUsageParts.Other, Math.Max(0, total - inside.Sum(p => p.Bytes)))
        {
            Path = data.Root,
            Items = Math.Max(0, files - inside.Sum(p => p.Items)),
            Note = "everything else in the data directory (router state, keys, tokens)",
        });
        return new DiskUsageView(data.Root, parts) { DataDirectoryBytes = total };
    }

    private static string Humanize(TimeSpan age) =>
        age.TotalDays >= 1 && age.TotalDays == Math.Floor(age.TotalDays) ? $"{age.TotalDays:0} days" : $"{age.TotalHours:0.#} hours";

    private static DiskUsagePart Directory(string name, string path, string note)
    {
        var (bytes, files) = DirectorySize.Of(path);
        return new DiskUsagePart(name, bytes) { Path = path, Items = files, Note = note };
    }

    private async Task<DiskUsagePart> ReleaseImagesAsync(CancellationToken ct)
    {
        var plan = await retention.PlanAsync(ct).ConfigureAwait(false);
        var ids = plan.KeptImageIds.Union(plan.Images.Select(i => i.Id), StringComparer.Ordinal).ToList();
        long bytes = 0;
        long present = 0;
        try
        {
            foreach (var id in ids)
            {
                if (await engine.GetImageSizeAsync(id, ct).ConfigureAwait(false) is { } size)
                {
                    bytes += size;
                    present++;
                }
            }
        }
        catch (EngineException e)
        {
            return new DiskUsagePart(DiskUsageParts.ReleaseImages, bytes) { Items = present, Note = $"the engine did not answer: {e.Message}" };
        }
        return new DiskUsagePart(DiskUsageParts.ReleaseImages, bytes)
        {
            Items = present,
            Note = $"images releases reference, as the engine sizes them (shared layers count in each image); {plan.Images.Count} would be pruned",
        };
    }
}
