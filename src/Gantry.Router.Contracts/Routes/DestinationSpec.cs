namespace Gantry.Router.Contracts.Routes;

/// <summary>One replica a cluster can send requests to.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default.</remarks>
public sealed record DestinationSpec(string Id = "", string Address = "", int Weight = 100, IReadOnlyDictionary<string, string> Labels = null!)
{
    /// <summary>Stable id (the replica's container name); health and in-flight state persist across tables under cluster id + this id.</summary>
    public string Id { get; init; } = Id ?? "";

    /// <summary>Absolute http URL of the replica, such as "http://172.17.0.5:8080".</summary>
    public string Address { get; init; } = Address ?? "";

    /// <summary>Relative share of traffic; 0 means drained (no new requests), used for blue-green and canary releases.</summary>
    public int Weight { get; init; } = Weight;

    /// <summary>Descriptive labels (app, service, release, replica) shown in logs and the admin API.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Labels ?? EmptyLabels;

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}
