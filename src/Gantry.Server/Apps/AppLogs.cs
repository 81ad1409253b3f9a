using System.Runtime.CompilerServices;
using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Server.Logs;
using Gantry.Store;

namespace Gantry.Server.Apps;

/// <summary>
/// An app's log lines, from Gantry's own log store (fed by the <see cref="LogCollector"/> as the replicas write): what
/// `GET /api/v1/apps/{app}/logs` (`gantry logs [-f]`) streams and the console's Logs page shows and follows. Without a
/// release or a time window it shows the replicas that exist now, as it always did; with one, every replica that ran
/// in it, removed ones included. A follow gets the lines of replicas that start after it began, and nothing is polled.
/// </summary>
public sealed class AppLogs(LogStore logs, IResourceStore store)
{
    /// <summary>The console's form: the default query (the replicas that exist now, their last <paramref name="tail"/> lines).</summary>
    public async Task<IAsyncEnumerable<LogLine>> OpenAsync(string app, string? service, bool follow, int tail, CancellationToken ct)
    {
        var resource = await store.GetAsync(AppKinds.App, app, ct).ConfigureAwait(false);
        return Read(app, new LogRequest(null, null, null, null, tail), service, resource, follow, ct);
    }

    /// <summary>The lines <paramref name="request"/> asks for, of the app as <paramref name="resource"/> is now (null: removed, its kept lines).</summary>
    public IAsyncEnumerable<LogLine> Read(string app, LogRequest request, string? service, StoredResource? resource, bool follow, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.ToQuery(service, resource is null ? null : CurrentReplicas(resource), resource?.CreatedAt);
        return Lines(logs.ReadAsync(app, query, follow, ct), ct);
    }

    /// <summary>Whether lines of an app that no longer exists are still kept (an admin may read them until retention takes them).</summary>
    public bool HasKept(string app) => logs.Has(app);

    private static HashSet<string> CurrentReplicas(StoredResource resource)
    {
        var replicas = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var (_, status) = AppQuery.Read(resource);
            foreach (var replica in status.Services.SelectMany(s => s.Replicas))
            {
                replicas.Add(replica.Name);
            }
        }
        catch (JsonException)
        {
            // Unreadable status: no replica is known to exist now; a history query still reads everything.
        }
        return replicas;
    }

    private static async IAsyncEnumerable<LogLine> Lines(IAsyncEnumerable<StoredLogLine> lines, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var line in lines.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return new LogLine(line.Time, line.Service, line.Replica, line.Stream, line.Text) { Release = line.Release > 0 ? line.Release : null };
        }
    }
}
