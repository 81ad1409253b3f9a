namespace Gantry.Server.NodeRouters;

/// <summary>A router container as one node's engine shows it.</summary>
public sealed record ObservedRouter(string Id, string State, string? SpecHash, IReadOnlySet<string> Networks, long Created);

/// <summary>What one node needs: the router kept (null: create one), containers to remove, networks to connect the router to.</summary>
public sealed record NodeRouterActions(string? Keep, IReadOnlyList<string> Remove, IReadOnlyList<string> Connect)
{
    public bool Create => Keep is null;

    public bool None => Remove.Count == 0 && !Create && Connect.Count == 0;
}

/// <summary>
/// The pure diff of one node's routers (level-based, as Nomad's reconciler): the wanted spec against what runs. One running
/// router of the wanted spec is kept (the newest, if an interrupted pass left two); anything else of ours is removed, a
/// stopped or dead one included (recreated rather than restarted: a fresh container also gets a fresh table); the kept one
/// is connected to every app network it is not on. Nothing to do when all holds, so a pass at rest writes nothing.
/// </summary>
public static class NodeRouterPlan
{
    public static NodeRouterActions Diff(string specHash, IReadOnlyList<ObservedRouter> observed, IReadOnlyList<string> networks)
    {
        var keep = observed
            .Where(r => r.State is "running" or "restarting" && r.SpecHash == specHash)
            .OrderByDescending(r => r.Created)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        var remove = observed.Where(r => r != keep).Select(r => r.Id).ToList();
        var connect = networks.Where(n => keep is null || !keep.Networks.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        return new NodeRouterActions(keep?.Id, remove, connect);
    }
}
