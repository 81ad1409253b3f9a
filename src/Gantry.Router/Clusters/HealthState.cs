namespace Gantry.Router.Clusters;

/// <summary>The result of active health checks for one destination.</summary>
public enum HealthState
{
    /// <summary>Not probed yet: routed only when the cluster has no active check.</summary>
    Unknown = 0,
    Healthy = 1,
    Unhealthy = 2,
}
