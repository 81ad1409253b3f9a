namespace Gantry.Router.Contracts.Routes;

/// <summary>A set of interchangeable destinations (the replicas of one service) with its balancing and health policy.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default.</remarks>
public sealed record ClusterSpec(string Id = "", string LoadBalancing = LoadBalancingPolicies.PowerOfTwoChoices, HealthCheckSpec? Health = null,
    PassiveHealthSpec? PassiveHealth = null, TimeSpan? RequestTimeout = null, IReadOnlyList<DestinationSpec> Destinations = null!)
{
    public string Id { get; init; } = Id ?? "";

    /// <summary>"p2c" (power of two choices on in-flight requests, default), "round-robin" or "weighted" (smooth weighted round robin).</summary>
    public string LoadBalancing { get; init; } = LoadBalancing ?? LoadBalancingPolicies.PowerOfTwoChoices;

    /// <summary>Active health check; when set, a destination receives traffic only after it has passed it.</summary>
    public HealthCheckSpec? Health { get; init; } = Health;

    /// <summary>Passive health (ejection on transport failures and 5xx bursts); null means the defaults.</summary>
    public PassiveHealthSpec? PassiveHealth { get; init; } = PassiveHealth;

    /// <summary>Time allowed from sending the request until the upstream's response headers arrive; past it the client gets 504.</summary>
    public TimeSpan? RequestTimeout { get; init; } = RequestTimeout;

    public IReadOnlyList<DestinationSpec> Destinations { get; init; } = Destinations ?? [];

    /// <summary>Name of the cookie that keeps each client on one release during a split (canary): when set and the destinations
    /// carry more than one <c>labels.release</c> value, the cookie's hash picks a release group in proportion to the group's
    /// available weight; clients without the cookie get a new one (Set-Cookie, Path=/, HttpOnly, SameSite=Lax). Null: no split.</summary>
    public string? StickyCookie { get; init; }

    /// <summary>The service scales to zero: hold requests that find no destination while it is woken. Null: answer 503 at once.</summary>
    public WakeSpec? Wake { get; init; }
}
