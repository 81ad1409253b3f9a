using Gantry.Console.Traffic;
using Gantry.Server.Metrics;

namespace Gantry.Server.Console;

/// <summary>
/// Which sampler passes can change the Apps page's traffic figures (<see cref="TrafficSummary"/>, drawn from the metrics
/// history the passes write): the first pass after requests were reported, and every pass after it while those requests are
/// still inside the page's window (the last step they fell in leaves it a step later). Passes with no traffic in the window
/// move nothing, so an idle installation's open Apps pages are not woken. Thread-safe: reports and passes come from
/// different loops.
/// </summary>
public sealed class AppsTrafficPasses
{
    /// <summary>How long after a pass that recorded requests the page's figures still move.</summary>
    public static readonly TimeSpan Shown = MetricsQuery.ParseDuration(TrafficSummary.Window)!.Value + MetricsQuery.ParseDuration(TrafficSummary.Step)!.Value;

    private readonly Lock _lock = new();
    private bool _requestsSincePass;
    private DateTimeOffset? _lastPassWithRequests;

    /// <summary>Routers reported requests of some app; the next pass records them.</summary>
    public void RequestsReported()
    {
        lock (_lock)
        {
            _requestsSincePass = true;
        }
    }

    /// <summary>Whether the pass at <paramref name="at"/> can have changed the page's figures.</summary>
    public bool Moved(DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_requestsSincePass)
            {
                (_requestsSincePass, _lastPassWithRequests) = (false, at);
            }

            return _lastPassWithRequests is { } last && at - last <= Shown;
        }
    }
}
