namespace Gantry.Controllers.Releases;

/// <summary>
/// What the routers say about a replica: whether none of them sends it new requests and none has one
/// in flight. The server implements it from the routers' status reports; without routers everything
/// is drained.
/// </summary>
public interface ITrafficGate
{
    bool IsDrained(string replica);

    /// <summary>Whether every router has the replica in its table and would send it requests now (its active health check passed).</summary>
    bool IsRoutable(string replica);
}

/// <summary>No routers: nothing is ever in flight.</summary>
public sealed class NoRouters : ITrafficGate
{
    public static readonly NoRouters Instance = new();

    public bool IsDrained(string replica) => true;

    public bool IsRoutable(string replica) => true;
}
