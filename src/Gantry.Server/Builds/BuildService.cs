using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Server.Apps;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Builds;

/// <summary>
/// The builds of pushed commits (docs/decisions/0025): each gets a number per app and a store record (queued, running, then
/// how it ended), waits its turn in the server's <see cref="BuildQueue"/>, runs every `build:` service through the engine under
/// the CPU, memory and time limits of <see cref="BuildOptions"/>, and keeps its output in `builds/APP/N.log` (bounded; the
/// newest <see cref="BuildOptions.Keep"/> per app). A build can be cancelled while it waits or runs: its engine request is
/// closed, which stops the engine's build, and the push that waits for it deploys nothing.
/// </summary>
public sealed class BuildService(IResourceStore store, IEngineDriver engine, BuildOptions options, Hosting.DataDirectory data, TimeProvider time,
    ILogger<BuildService> logger)
{
    public const string Kind = "Build";

    private readonly BuildQueue _queue = new(options.Concurrency);
    private readonly TestStage _tests = new(engine, options, time);
    private readonly ConcurrentDictionary<(string App, long Number), ActiveBuild> _active = new();

    public string LogPath(string app, long number) =>
        Path.Combine(data.BuildsDirectory, app, number.ToString(CultureInfo.InvariantCulture) + ".log");

    /// <summary>
    /// Queues, runs and records one build of the `build:` services of <paramref name="spec"/> (each tagged with its image name).
    /// Every line of its log also goes to <paramref name="say"/> (the push's side band), in order, before this returns. After the
    /// images, the services' test stage (`x-gantry: test:`, <see cref="TestStage"/>) runs in the same log; a failing test fails the build.
    /// </summary>
    /// <param name="queued">Told the build's number once its record is stored (a `-o async` push returns then).</param>
    public async Task<BuildResult> RunAsync(BuildRequest request, AppSpec spec, Func<string, Task> say, CancellationToken ct, Func<long, Task>? queued = null)
    {
        var record = await CreateAsync(request, ct).ConfigureAwait(false);
        if (queued is not null)
        {
            await queued(record.Number).ConfigureAwait(false);
        }
        var key = (request.App, record.Number);
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var pump = PumpAsync(lines.Reader, say);
        using var active = new ActiveBuild(new BuildLogWriter(LogPath(request.App, record.Number), options.LogMaxBytes), ct);
        _active[key] = active;
        void Line(string line)
        {
            active.Log.Write(line);
            lines.Writer.TryWrite(line);
        }
        string? state = null;
        string? message = null;
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var tags = new List<string>();
        var service = "";
        try
        {
            await PruneAsync(request.App, ct).ConfigureAwait(false);
            Line($"gantry: build {record.Number} of {request.App} at {request.Source.ShortCommit} ({request.Source.Branch}), pushed by {request.PushedBy}");
            using var slot = await _queue.EnterAsync(key,
                position => Line($"gantry: build {record.Number} waits for a build slot: position {position} in the queue ({options.Concurrency} at once on this server)"),
                active.Cancel.Token).ConfigureAwait(false);
            record = record with { State = BuildStates.Running, StartedAt = time.GetUtcNow() };
            await WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
            Line($"gantry: build {record.Number} running (limits: {Describe(options)})");
            using var deadline = new CancellationTokenSource(options.Timeout, time);
            using var running = CancellationTokenSource.CreateLinkedTokenSource(active.Cancel.Token, deadline.Token);
            try
            {
                foreach (var built in spec.Services.Where(s => s.Build is not null))
                {
                    service = built.Name;
                    var tag = built.Image ?? $"{spec.Name}-{built.Name}:latest";
                    Line($"gantry: building {built.Name} as {tag}");
                    var progress = new InlineLines(line => Line($"{built.Name}: {line}"));
                    images[built.Name] = await engine.BuildImageAsync(spec.Name, built.Build!, tag, progress, options.Limits, running.Token).ConfigureAwait(false);
                    tags.Add(tag);
                }
            }
            catch (Exception e) when (running.IsCancellationRequested && e is OperationCanceledException or EngineException or IOException)
            {
                (state, message) = active.CancelledBy is { } by ? (BuildStates.Cancelled, BuildMessages.Cancelled(by))
                    : deadline.IsCancellationRequested ? (BuildStates.Failed, BuildMessages.TimedOut(options.Timeout))
                    : (BuildStates.Cancelled, BuildMessages.Interrupted);
            }
            catch (EngineException e)
            {
                (state, message) = (BuildStates.Failed, BuildMessages.Failed(service, e.Message, options.MemoryBytes));
            }
            if (state is null)
            {
                // The tests run under their own time limits (x-gantry test.timeout), not the build's; a cancel stops them too.
                try
                {
                    message = await _tests.RunAsync(spec, record.Number, images, Line, active.Cancel.Token).ConfigureAwait(false);
                    state = message is null ? BuildStates.Succeeded : BuildStates.Failed;
                }
                catch (Exception e) when (active.Cancel.IsCancellationRequested && e is OperationCanceledException or EngineException or IOException)
                {
                    (state, message) = (BuildStates.Cancelled, active.CancelledBy is { } by ? BuildMessages.Cancelled(by) : BuildMessages.Interrupted);
                }
            }
        }
        catch (OperationCanceledException) when (active.Cancel.IsCancellationRequested)
        {
            // Still in the queue.
            (state, message) = active.CancelledBy is { } by ? (BuildStates.Cancelled, BuildMessages.Cancelled(by)) : (BuildStates.Cancelled, BuildMessages.Interrupted);
        }
        catch (Exception e) when (e is StoreException or IOException or UnauthorizedAccessException)
        {
            (state, message) = (BuildStates.Failed, $"failed inside the server: {e.Message}");
        }
        finally
        {
            _active.TryRemove(key, out _);
        }
        state ??= BuildStates.Failed; // every path above sets it
        if (state != BuildStates.Succeeded)
        {
            // Nothing half-made stays: the tags of the services that did build go (an image another tag or a container holds stays).
            foreach (var tag in tags)
            {
                try
                {
                    await engine.RemoveImageAsync(tag, CancellationToken.None).ConfigureAwait(false);
                }
                catch (EngineException)
                {
                }
            }
        }
        record = record with { State = state, FinishedAt = time.GetUtcNow(), Images = state == BuildStates.Succeeded ? images : record.Images, Message = message };
        await WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        var outcome = state == BuildStates.Succeeded
            ? $"gantry: build {record.Number} succeeded in {Took(record)}: {string.Join(", ", images.Select(i => $"{i.Key} {ShortId(i.Value)}"))}"
            : $"gantry: build {record.Number} {state}: {message}";
        lines.Writer.TryWrite(outcome);
        active.Log.Complete(outcome);
        lines.Writer.TryComplete();
        await pump.ConfigureAwait(false);
        active.Ended.TrySetResult();
        BuildLog.Finished(logger, request.App, record.Number, request.Source.ShortCommit, state, message ?? "");
        return new BuildResult(record.Number, state, images, message);
    }

    /// <summary>The app's kept builds, newest first, with the queue position of those that wait.</summary>
    public async Task<IReadOnlyList<BuildView>> ListAsync(string app, CancellationToken ct) =>
        (await RecordsAsync(app, ct).ConfigureAwait(false)).Select(View).ToList();

    public async Task<BuildView?> GetAsync(string app, long number, CancellationToken ct) =>
        await RecordAsync(app, number, ct).ConfigureAwait(false) is { } record ? View(record) : null;

    /// <summary>
    /// Cancels a queued or running build and returns once it has stopped: a running engine build is stopped by closing its request.
    /// A finished build is a conflict; an unknown number is missing, naming the numbers kept.
    /// </summary>
    public async Task<ChangeOutcome<BuildView>> CancelAsync(string app, long number, string by, CancellationToken ct)
    {
        if (await RecordAsync(app, number, ct).ConfigureAwait(false) is not { } record)
        {
            return ChangeOutcome<BuildView>.Missing(await DescribeMissingAsync(app, number, ct).ConfigureAwait(false));
        }
        if (BuildStates.IsFinished(record.State))
        {
            return ChangeOutcome<BuildView>.Conflict($"build {number} of '{app}' already {record.State}: there is nothing to cancel");
        }
        BuildLog.CancelRequested(logger, app, number, by);
        if (_active.TryGetValue((app, number), out var active))
        {
            active.CancelledBy ??= by;
            try
            {
                await active.Cancel.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // It ended between the read and the cancel: its record says how.
            }
            await active.Ended.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        else
        {
            // Not running in this process (it would have been marked at start): record the cancel all the same.
            await WriteAsync(record with { State = BuildStates.Cancelled, FinishedAt = time.GetUtcNow(), Message = BuildMessages.Cancelled(by) }, ct).ConfigureAwait(false);
        }
        return ChangeOutcome<BuildView>.Accepted((await GetAsync(app, number, ct).ConfigureAwait(false))!);
    }

    /// <summary>
    /// The build's log as it is kept, in chunks; with <paramref name="follow"/>, also what is written until the build ends.
    /// Empty when the log is gone (a build that ended before the server kept logs).
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLogAsync(string app, long number, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        // Taken before the file is opened: a build that is active now has written its log from the start.
        var writer = follow && _active.TryGetValue((app, number), out var active) ? active.Log : null;
        FileStream file;
        try
        {
            file = new FileStream(LogPath(app, number), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            yield break;
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[16 << 10];
            long offset = 0;
            while (true)
            {
                int read;
                while ((read = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    offset += read;
                    yield return buffer.AsMemory(0, read);
                }
                if (writer is null || (writer.Completed && offset >= writer.Length))
                {
                    yield break;
                }
                await writer.WaitAsync(offset, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// At start, before any push: a build the store holds as queued or running belonged to the process that stopped, and its
    /// engine request ended with it. Marked failed, so nothing waits on it and the list tells the truth.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken ct)
    {
        var count = 0;
        foreach (var resource in await store.ListAsync(Kind, ct).ConfigureAwait(false))
        {
            var record = Read(resource);
            if (!BuildStates.IsFinished(record.State))
            {
                BuildLog.Abandoned(logger, record.App, record.Number, record.State);
                await WriteAsync(record with { State = BuildStates.Failed, FinishedAt = time.GetUtcNow(), Message = BuildMessages.Restarted }, ct).ConfigureAwait(false);
                var path = LogPath(record.App, record.Number);
                if (File.Exists(path))
                {
                    await File.AppendAllTextAsync(path, $"gantry: build {record.Number} {BuildMessages.Restarted}\n", ct).ConfigureAwait(false);
                }
                count++;
            }
        }
        // A test stage's container the stopped process was running (its run ended with it) goes too.
        try
        {
            await engine.RemoveOneOffRunsAsync(TestStage.Label, ct).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            BuildLog.LeftoversNotRemoved(logger, e.Message);
        }
        return count;
    }

    private async Task<BuildRecord> CreateAsync(BuildRequest request, CancellationToken ct) =>
        await OptimisticRetry.RunAsync(async () =>
        {
            var existing = await RecordsAsync(request.App, ct).ConfigureAwait(false);
            var record = new BuildRecord
            {
                App = request.App,
                Number = existing.Count == 0 ? 1 : existing[0].Number + 1,
                Commit = request.Source.Commit,
                Branch = request.Source.Branch,
                Author = request.Source.Author,
                PushedBy = request.PushedBy,
                Deploys = request.Deploys,
                QueuedAt = time.GetUtcNow(),
            };
            await store.CreateAsync(Kind, BuildRecord.NameOf(record.App, record.Number), Json(record), ct).ConfigureAwait(false);
            return record;
        }).ConfigureAwait(false);

    /// <summary>Retention: finished builds beyond the newest <see cref="BuildOptions.Keep"/> go, with their logs, when a build starts.</summary>
    private async Task PruneAsync(string app, CancellationToken ct)
    {
        var records = await RecordsAsync(app, ct).ConfigureAwait(false);
        foreach (var number in BuildRetention.Expired(records.Select(r => (r.Number, r.State)), options.Keep))
        {
            await store.DeleteAsync(Kind, BuildRecord.NameOf(app, number), null, ct).ConfigureAwait(false);
            try
            {
                File.Delete(LogPath(app, number));
            }
            catch (IOException e)
            {
                BuildLog.LogNotRemoved(logger, app, number, e);
            }
        }
    }

    private Task WriteAsync(BuildRecord record, CancellationToken ct) =>
        store.UpsertSpecAsync(Kind, BuildRecord.NameOf(record.App, record.Number), Json(record), null, ct);

    /// <summary>Why a build number is unknown, with the numbers that are kept.</summary>
    public async Task<string> DescribeMissingAsync(string app, long number, CancellationToken ct)
    {
        var kept = await RecordsAsync(app, ct).ConfigureAwait(false);
        return kept.Count == 0
            ? $"'{app}' has no build {number}: it has no builds (a git push of a compose file with build: sections makes them)"
            : $"'{app}' has no build {number}: the builds kept are {kept[^1].Number} to {kept[0].Number} ('gantry builds {app}')";
    }

    private async Task<BuildRecord?> RecordAsync(string app, long number, CancellationToken ct) =>
        number >= 1 && await store.GetAsync(Kind, BuildRecord.NameOf(app, number), ct).ConfigureAwait(false) is { } resource ? Read(resource) : null;

    /// <summary>The app's build records, newest first.</summary>
    private async Task<List<BuildRecord>> RecordsAsync(string app, CancellationToken ct)
    {
        var prefix = app + ".";
        return (await store.ListAsync(Kind, ct).ConfigureAwait(false))
            .Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(r.Name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(Read)
            .OrderByDescending(r => r.Number)
            .ToList();
    }

    private BuildView View(BuildRecord record)
    {
        var path = LogPath(record.App, record.Number);
        return record.ToView(record.State == BuildStates.Queued ? _queue.PositionOf((record.App, record.Number)) : null, File.Exists(path) ? new FileInfo(path).Length : 0);
    }

    private static BuildRecord Read(StoredResource resource) => JsonSerializer.Deserialize(resource.SpecJson, BuildJsonContext.Default.BuildRecord)!;

    private static string Json(BuildRecord record) => JsonSerializer.Serialize(record, BuildJsonContext.Default.BuildRecord);

    private static async Task PumpAsync(ChannelReader<string> lines, Func<string, Task> say)
    {
        await foreach (var line in lines.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await say(line).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The listener went away; the build and its log go on.
            }
        }
    }

    private static string Describe(BuildOptions o) =>
        $"{(o.Cpus is { } c ? c.ToString("0.##", CultureInfo.InvariantCulture) + " CPU" : "any CPU")}, "
        + $"{(o.MemoryBytes is { } m ? BuildLogBound.ByteText(m) + " memory" : "any memory")}, {BuildMessages.Duration(o.Timeout)}";

    private static string Took(BuildRecord record) =>
        record.StartedAt is { } start && record.FinishedAt is { } end ? $"{(end - start).TotalSeconds:0.0}s" : "-";

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id;

    /// <summary>Reports on the caller's thread, in the engine's order.</summary>
    private sealed class InlineLines(Action<string> onLine) : IProgress<string>
    {
        public void Report(string value) => onLine(value);
    }

    private sealed class ActiveBuild(BuildLogWriter log, CancellationToken push) : IDisposable
    {
        public BuildLogWriter Log { get; } = log;

        /// <summary>Cancelled by `gantry build --cancel` or when the push goes away.</summary>
        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(push);

        public string? CancelledBy { get; set; }

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            Log.Dispose();
            Cancel.Dispose();
            Ended.TrySetResult();
        }
    }
}
