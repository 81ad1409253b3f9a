namespace Gantry.Router.Contracts.Routes;

/// <summary>The whole desired routing state the router serves: every route and the clusters they point at, versioned by the producer.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default.</remarks>
public sealed record RouteTableSpec(long Version = 0, IReadOnlyList<RouteSpec> Routes = null!, IReadOnlyList<ClusterSpec> Clusters = null!)
{
    /// <summary>Monotonic version set by the producer (the server's store revision).</summary>
    public long Version { get; init; } = Version;

    public IReadOnlyList<RouteSpec> Routes { get; init; } = Routes ?? [];

    public IReadOnlyList<ClusterSpec> Clusters { get; init; } = Clusters ?? [];

    /// <summary>An empty table: the router answers 404 to everything until a real table arrives.</summary>
    public static RouteTableSpec Empty { get; } = new();
}
