using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model.Api;

namespace Gantry.Server.Apps;

/// <summary>
/// An app's log lines from the engine, per replica or interleaved as they arrive: what `GET /api/v1/apps/{app}/logs`
/// (`gantry logs [-f]`) streams and the console's Logs page shows and follows. Nothing is stored or polled: a follower
/// holds the engine's own log streams open, and they end when the replicas do.
/// </summary>
public sealed class AppLogs(IEngineDriver engine)
{
    /// <summary>
    /// Lists the app's replicas now (an engine failure surfaces here, before a response starts) and returns their lines:
    /// without <paramref name="follow"/> each replica's last <paramref name="tail"/> lines in time order, else those and then
    /// every new line as it comes, until every replica's stream ends or <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<IAsyncEnumerable<LogLine>> OpenAsync(string app, string? service, bool follow, int tail, CancellationToken ct)
    {
        var containers = (await engine.ListContainersAsync(app, ct).ConfigureAwait(false))
            .Where(c => service is null || c.Service == service)
            .OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Slot)
            .ToList();
        return Merge(containers, follow, tail, ct);
    }

    private async IAsyncEnumerable<LogLine> Merge(IReadOnlyList<ObservedContainer> containers, bool follow, int tail, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!follow)
        {
            var all = new List<LogLine>();
            foreach (var c in containers)
            {
                await foreach (var line in engine.StreamLogsAsync(c.Id, false, tail, ct).ConfigureAwait(false))
                {
                    all.Add(new LogLine(line.Time, c.Service ?? "", c.Name, line.Stream, line.Text));
                }
            }
            foreach (var line in all.OrderBy(l => l.Time))
            {
                yield return line;
            }
            yield break;
        }

        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.Wait });
        var pumps = containers.Select(async c =>
        {
            try
            {
                await foreach (var line in engine.StreamLogsAsync(c.Id, true, tail, ct).ConfigureAwait(false))
                {
                    await channel.Writer.WriteAsync(new LogLine(line.Time, c.Service ?? "", c.Name, line.Stream, line.Text), ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or EngineException)
            {
                // One replica's stream ending (removed, cancelled) must not end the others.
            }
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var line in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            yield return line;
        }
    }
}
