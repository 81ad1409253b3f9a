namespace Gantry.Model.Api.Cluster;

/// <summary>
/// One node of the cluster, as `gantry nodes` shows it: what Swarm says of it (role, state, availability, labels, capacity) and
/// what Gantry placed there (reservations of its replicas and how many run), so an operator sees where room is left.
/// </summary>
public sealed record NodeView(
    string Id,
    string Name,
    string Role,
    string State,
    string Availability,
    string? Address,
    bool Leader,
    IReadOnlyDictionary<string, string> Labels,
    double Cpus,
    long MemoryBytes,
    double ReservedCpus,
    long ReservedMemoryBytes,
    int Replicas)
{
    /// <summary>The engine URL Gantry joined it through (kept as the node label gantry.engine); null for nodes joined another way.</summary>
    public string? Engine { get; init; }

    /// <summary>Gantry's router on this node (docs/decisions/0029): running (with the table it reported), failed with the reason, none, or off.</summary>
    public string? Router { get; init; }
}
