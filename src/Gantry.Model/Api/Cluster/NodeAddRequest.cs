namespace Gantry.Model.Api.Cluster;

/// <summary>
/// `POST /api/v1/cluster/nodes`: join the engine at Engine (unix:///path, tcp://host:2375 or https://host:2376 with the
/// server's client certificate) to the cluster through that engine's own API, as a worker or a manager, with node labels.
/// </summary>
public sealed record NodeAddRequest(string Engine, string? Role = null, IReadOnlyDictionary<string, string>? Labels = null);
