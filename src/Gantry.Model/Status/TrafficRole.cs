namespace Gantry.Model.Status;

/// <summary>What a replica of a routed service is doing with traffic; the route table is built from these.</summary>
public static class TrafficRole
{
    /// <summary>In the route table, serving.</summary>
    public const string Live = "live";

    /// <summary>In the route table with a share of the traffic during a canary step.</summary>
    public const string Canary = "canary";

    /// <summary>New release, started and being readied; not in the route table yet.</summary>
    public const string Staged = "staged";

    /// <summary>Previous release kept running after a swap, out of the route table, for an instant rollback.</summary>
    public const string Warm = "warm";

    /// <summary>Out of the route table and waiting for its in-flight requests before it is stopped.</summary>
    public const string Draining = "draining";
}
