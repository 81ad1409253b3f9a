using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace Gantry.LoadGen;

/// <summary>
/// A load that is running: workers each keep one request in flight over their keep-alive
/// connection and record every answer. Mark phases while it runs, read a <see cref="Snapshot"/>
/// at any time, and <see cref="StopAsync"/> it to get the final <see cref="Report"/>.
/// </summary>
public sealed class LoadRun : IAsyncDisposable
{
    private const int MaxDistinctMarkers = 1024;

    private readonly LoadOptions _options;
    private readonly HttpClient _client;
    private readonly Regex? _marker;
    private readonly List<PhaseMark> _marks = [];
    private readonly ConcurrentDictionary<string, string> _markerValues = new(StringComparer.Ordinal);
    private readonly List<LoadWorker> _workers = [];
    private Task[] _tasks = [];
    private volatile bool _stopping;
    private LoadReport? _final;
    private int _completed;

    internal LoadRun(LoadOptions options)
    {
        _options = options;
        _marker = options.MarkerPattern is { } pattern ? new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant) : null;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // One connection per worker: the router sees exactly Concurrency keep-alive connections.
            MaxConnectionsPerServer = options.Concurrency,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        Started = options.Time.GetUtcNow();
    }

    public LoadOptions Options => _options;

    /// <summary>When the workers started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>The run's clock now; pass it to <see cref="LoadReport.TimeUntilAllMarked"/> as the start of what you measure.</summary>
    public DateTimeOffset Now => _options.Time.GetUtcNow();

    /// <summary>Requests finished so far.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Labels every request that starts from now on with <paramref name="label"/> (until the next mark).</summary>
    public PhaseMark Mark(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        lock (_marks)
        {
            var mark = new PhaseMark(Now, label);
            _marks.Add(mark);
            return mark;
        }
    }

    /// <summary>A report over every request finished so far; the load keeps running.</summary>
    public LoadReport Snapshot() => BuildReport(Now);

    /// <summary>Lets each worker finish its request in flight (bounded by the timeout), then stops.</summary>
    public async Task StopAsync()
    {
        if (_final is not null)
        {
            return;
        }
        _stopping = true;
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _final = BuildReport(Now);
        _client.Dispose();
    }

    /// <summary>The final report; call <see cref="StopAsync"/> first.</summary>
    public LoadReport Report() => _final ?? throw new InvalidOperationException("the run is still going: await StopAsync() before Report(), or use Snapshot()");

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal bool Stopping => _stopping;

    internal HttpClient Client => _client;

    internal void StartWorkers()
    {
        _tasks = new Task[_options.Concurrency];
        for (var i = 0; i < _options.Concurrency; i++)
        {
            var worker = new LoadWorker(this);
            _workers.Add(worker);
            _tasks[i] = Task.Run(worker.RunAsync);
        }
    }

    internal void CountCompleted() => Interlocked.Increment(ref _completed);

    /// <summary>The body's marker, one string instance per distinct value so a long run holds few strings.</summary>
    internal string? ExtractMarker(string body)
    {
        if (_marker is null)
        {
            return null;
        }
        var match = _marker.Match(body);
        if (!match.Success || match.Groups.Count < 2 || !match.Groups[1].Success)
        {
            return null;
        }
        var value = match.Groups[1].Value;
        if (_markerValues.TryGetValue(value, out var shared))
        {
            return shared;
        }
        return _markerValues.Count < MaxDistinctMarkers ? _markerValues.GetOrAdd(value, value) : value;
    }

    private LoadReport BuildReport(DateTimeOffset ended)
    {
        PhaseMark[] marks;
        lock (_marks)
        {
            marks = [.. _marks];
        }
        var records = new List<RequestRecord>(Completed + _workers.Count);
        foreach (var worker in _workers)
        {
            worker.CopyTo(records);
        }
        // Phases come from the marks by start time rather than from a field the workers read, so a
        // request that starts a microsecond after a mark is never labelled with the previous phase.
        var initial = _options.InitialPhase;
        for (var i = 0; i < records.Count; i++)
        {
            records[i] = records[i] with { Phase = PhaseMark.LabelAt(marks, records[i].Start, initial) };
        }
        return new LoadReport(records, marks, Started, ended);
    }
}
