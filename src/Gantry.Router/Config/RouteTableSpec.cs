namespace Gantry.Router.Config;

/// <summary>The whole desired routing state the router serves: every route and the clusters they point at, versioned by the producer.</summary>
public sealed record RouteTableSpec
{
    /// <summary>Monotonic version set by the producer (the server's store revision); an identical version is a no-op.</summary>
    public long Version { get; init; }

    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    public IReadOnlyList<ClusterSpec> Clusters { get; init; } = [];

    /// <summary>An empty table: the router answers 404 to everything until a real table arrives.</summary>
    public static RouteTableSpec Empty { get; } = new();
}
