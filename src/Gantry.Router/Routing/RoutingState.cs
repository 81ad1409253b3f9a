using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Observability;

namespace Gantry.Router.Routing;

/// <summary>Holds the current route snapshot behind one volatile reference and swaps in new tables atomically after validation.</summary>
public sealed class RoutingState
{
    private readonly Lock _applyLock = new();
    private readonly RouterMetrics _metrics;
    private readonly TimeProvider _time;
    private volatile RouteSnapshot _current;

    public RoutingState(RouterMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        Retired = new RetiredDestinations(time);
        _current = RouteSnapshotBuilder.Build(RouteTableSpec.Empty, null, metrics, time);
    }

    /// <summary>The snapshot new requests use; read it once per request.</summary>
    public RouteSnapshot Current => _current;

    /// <summary>Raised when an active probe changes a destination's health (the status reporter tells the server at once).</summary>
    public event Action? HealthChanged;

    /// <summary>Called by the health checker after a destination's health changed.</summary>
    public void ReportHealthChanged() => HealthChanged?.Invoke();

    /// <summary>The clock the router's health and ejection timestamps use.</summary>
    public TimeProvider Time => _time;

    /// <summary>Destinations dropped by a swap that may still have requests running on them.</summary>
    public RetiredDestinations Retired { get; }

    /// <summary>Raised after a swap (outside the hot path): the health checker probes new destinations, the store saves the table.</summary>
    public event Action<RouteSnapshot>? Swapped;

    /// <summary>Swaps in the valid part of a table (see <see cref="RouteTableSanitizer"/>) and returns every validation error;
    /// the entries left out are in <see cref="RouteSnapshot.Rejected"/>. A table whose routes are all invalid is refused
    /// whole and the current one stays: serving nothing would not help anyone.</summary>
    public IReadOnlyList<ConfigError> Apply(RouteTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sanitized = RouteTableSanitizer.Sanitize(table);
        if (sanitized.Errors.Count != 0)
        {
            _metrics.CountTableRejected();
            if (sanitized.Accepted.Routes.Count == 0 && table.Routes.Count != 0)
            {
                return sanitized.Errors;
            }
        }

        var accepted = sanitized.Accepted;
        RouteSnapshot next;
        // Serialize builders so two sources cannot both compile against the same "previous" and lose state.
        lock (_applyLock)
        {
            var previous = _current;
            if (ReferenceEquals(previous.Table, accepted) || (previous.Version == accepted.Version && previous.Version != 0 && Equals(previous.Table, accepted)))
            {
                return sanitized.Errors;
            }

            next = RouteSnapshotBuilder.Build(accepted, previous, _metrics, _time, sanitized.Rejected);
            // Retire before publishing: a status report reads the current snapshot and then the retired list, so a dropped
            // destination is always in one of the two (the report de-duplicates by reference).
            Retired.RetireDropped(previous.Clusters.Values, next.Clusters.Values);
            _current = next;
            _metrics.CountTableSwap();
        }

        Swapped?.Invoke(next);
        return sanitized.Errors;
    }
}
