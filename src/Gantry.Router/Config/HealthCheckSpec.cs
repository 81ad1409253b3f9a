namespace Gantry.Router.Config;

/// <summary>An active HTTP probe sent to every destination of a cluster through the router's own connection pool.</summary>
public sealed record HealthCheckSpec
{
    /// <summary>Path probed with GET; any 2xx or 3xx answer counts as a pass.</summary>
    public string Path { get; init; } = "/";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive passes that make an unknown or unhealthy destination healthy.</summary>
    public int HealthyThreshold { get; init; } = 1;

    /// <summary>Consecutive failures that make a healthy destination unhealthy.</summary>
    public int UnhealthyThreshold { get; init; } = 2;
}
