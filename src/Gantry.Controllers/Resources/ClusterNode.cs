namespace Gantry.Controllers.Resources;

/// <summary>
/// A Swarm node as the cluster guard counts it: what it is (for constraints), whether Swarm may place there, what it offers,
/// and what other apps' replicas already reserve on it.
/// </summary>
public sealed record ClusterNode(
    string Name,
    string Role,
    string State,
    string Availability,
    IReadOnlyDictionary<string, string> Labels,
    long MemoryBytes,
    long NanoCpus,
    long ReservedMemoryBytes,
    long ReservedNanoCpus)
{
    /// <summary>Swarm places new tasks only on ready nodes whose availability is active.</summary>
    public bool AcceptsTasks => State == "ready" && Availability == "active";
}
