namespace Gantry.Router.Contracts.Routes;

/// <summary>A route, cluster or destination a router left out of a table it otherwise serves, and why.</summary>
/// <param name="Path">Where it was in the received table, such as "routes[2]" or "clusters[0].destinations[1]".</param>
/// <param name="Id">Its id in the table (a route id names its app and service: "{app}-{service}-{n}").</param>
/// <param name="Reason">Every problem found with it, each with its path and the fix.</param>
public sealed record RejectedEntry(string Path, string Id, string Reason)
{
    public override string ToString() => $"{Path} \"{Id}\": {Reason}";
}
