namespace Gantry.Router.Config;

/// <summary>A set of interchangeable destinations (the replicas of one service) with its balancing and health policy.</summary>
public sealed record ClusterSpec
{
    public string Id { get; init; } = "";

    /// <summary>"p2c" (power of two choices on in-flight requests, default), "round-robin" or "weighted" (smooth weighted round robin).</summary>
    public string LoadBalancing { get; init; } = LoadBalancingPolicies.PowerOfTwoChoices;

    /// <summary>Active health check; when set, a destination receives traffic only after it has passed it.</summary>
    public HealthCheckSpec? Health { get; init; }

    /// <summary>Passive health (ejection on transport failures and 5xx bursts); null means the defaults.</summary>
    public PassiveHealthSpec? PassiveHealth { get; init; }

    /// <summary>Time allowed from sending the request until the upstream's response headers arrive; past it the client gets 504.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    public IReadOnlyList<DestinationSpec> Destinations { get; init; } = [];
}
