namespace Gantry.Router.Contracts.Routes;

/// <summary>An active HTTP probe sent to every destination of a cluster through the router's own connection pool.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default. A zero TimeSpan means "the default".</remarks>
public sealed record HealthCheckSpec(string Path = "/", TimeSpan Interval = default, TimeSpan Timeout = default, int HealthyThreshold = 1, int UnhealthyThreshold = 2)
{
    /// <summary>Path probed with GET; any 2xx or 3xx answer counts as a pass.</summary>
    public string Path { get; init; } = Path ?? "/";

    public TimeSpan Interval { get; init; } = Interval == default ? TimeSpan.FromSeconds(5) : Interval;

    public TimeSpan Timeout { get; init; } = Timeout == default ? TimeSpan.FromSeconds(2) : Timeout;

    /// <summary>Consecutive passes that make an unknown or unhealthy destination healthy.</summary>
    public int HealthyThreshold { get; init; } = HealthyThreshold;

    /// <summary>Consecutive failures that make a healthy destination unhealthy.</summary>
    public int UnhealthyThreshold { get; init; } = UnhealthyThreshold;
}
