namespace Gantry.Router.Config;

/// <summary>One replica a cluster can send requests to.</summary>
public sealed record DestinationSpec
{
    /// <summary>Stable id (the replica's container name); health and in-flight state persist across tables under cluster id + this id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Absolute http URL of the replica, such as "http://172.17.0.5:8080".</summary>
    public string Address { get; init; } = "";

    /// <summary>Relative share of traffic; 0 means drained (no new requests), used for blue-green and canary releases.</summary>
    public int Weight { get; init; } = 100;

    /// <summary>Descriptive labels (app, service, release, replica) shown in logs and the admin API.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
