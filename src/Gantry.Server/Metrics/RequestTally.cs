using Gantry.Router.Contracts.Requests;

namespace Gantry.Server.Metrics;

/// <summary>
/// The routers' request reports since the sampler's last pass, per app and service: the ingest endpoint adds each batch,
/// the sampler drains it every interval. Nothing runs here between batches; the first request after a drain raises
/// <see cref="Arrived"/>, so a sampler at rest (no replica running) wakes up for traffic too.
/// </summary>
public sealed class RequestTally
{
    private readonly Lock _lock = new();
    private readonly Random _random = new();
    private Dictionary<(string App, string Service), RequestWindow> _windows = [];

    /// <summary>Raised, outside the lock, when a request arrives and none was waiting to be drained.</summary>
    public event Action? Arrived;

    /// <summary>True while requests wait for the next drain.</summary>
    public bool HasRequests
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count > 0;
            }
        }
    }

    /// <summary>Counts the reports that name their app and service; the others (no route matched) have no series to go to.</summary>
    public void Add(IEnumerable<RequestReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        bool first;
        lock (_lock)
        {
            first = _windows.Count == 0;
            foreach (var report in reports)
            {
                if (report.App is not { Length: > 0 } app || report.Service is not { Length: > 0 } service)
                {
                    continue;
                }
                if (!_windows.TryGetValue((app, service), out var window))
                {
                    window = new RequestWindow();
                    _windows[(app, service)] = window;
                }
                window.Add(report.Status, report.TotalMicroseconds, _random);
            }
            first &= _windows.Count > 0;
        }
        if (first)
        {
            Arrived?.Invoke();
        }
    }

    /// <summary>Everything counted since the last drain, and a fresh tally for the next interval.</summary>
    public IReadOnlyDictionary<(string App, string Service), RequestWindow> Drain()
    {
        lock (_lock)
        {
            var drained = _windows;
            _windows = [];
            return drained;
        }
    }
}
