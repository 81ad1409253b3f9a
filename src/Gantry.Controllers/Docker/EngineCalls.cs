using System.Runtime.CompilerServices;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Model;

namespace Gantry.Controllers.Docker;

/// <summary>
/// What both engine drivers (one engine, and Swarm on top of it) share at the Engine API's edge: an engine call whose
/// failure becomes the <see cref="EngineException"/> the controllers understand, and the filter for what this Gantry owns.
/// </summary>
internal static class EngineCalls
{
    public static async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, what);
        }
    }

    public static async Task Call(Func<Task> call, string what)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, what);
        }
    }

    /// <summary>An engine error in the controllers' terms: a conflict, a transient failure (5xx, unreachable), or a refusal.</summary>
    public static EngineException Translate(Exception e, string what) => e switch
    {
        DockerApiException { IsConflict: true } api => new EngineConflictException($"cannot {what}: {api.DaemonMessage}", e),
        DockerApiException api => new EngineException($"cannot {what}: {api.DaemonMessage}", (int)api.StatusCode >= 500 && !api.InStream, e),
        _ => new EngineException($"cannot {what}: the engine is unreachable ({e.Message})", true, e),
    };

    /// <summary>The engine's log entries (a container's or a Swarm task's) as the controllers' lines, failures translated.</summary>
    public static async IAsyncEnumerable<EngineLogLine> Lines(IAsyncEnumerable<LogEntry> entries, string what, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var logs = entries.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await logs.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException)
            {
                throw Translate(e, what);
            }
            var entry = logs.Current;
            yield return new EngineLogLine(entry.Timestamp ?? DateTimeOffset.MinValue, entry.Stream == LogStream.Stderr ? "stderr" : "stdout", entry.Text.TrimEnd('\r', '\n'));
        }
    }

    /// <summary>What this Gantry (its owner id) manages, of one app or of all.</summary>
    public static DockerFilters Owned(string ownerId, string? app)
    {
        var filters = new DockerFilters().Label(GantryLabels.Managed, "true").Label(GantryLabels.Owner, ownerId);
        return app is null ? filters : filters.Label(GantryLabels.App, app);
    }
}
