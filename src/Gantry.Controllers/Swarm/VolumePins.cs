using Gantry.Controllers.Resources;
using Gantry.Model;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Stateful services on a cluster (issue 11, docs/decisions/0033): a named volume is a directory on one node's disk and does
/// not follow a replica that Swarm places elsewhere, so a service that writes to a volume Gantry creates is pinned to one
/// node with a placement constraint Gantry adds (<c>node.hostname==NODE</c>), and Swarm recreates it there. Pure: the deploy
/// applies it to the candidate before the resource guard, so the guard counts the pinned node, and the pre-deploy check
/// shows why.
/// </summary>
/// <remarks>
/// Not pinned: a mount that is read-only; an external volume or one with a <c>name:</c> of its own (the user's, wherever it
/// is); a volume with another driver or with <c>driver_opts</c> (NFS and other shared storage, reached the same from every
/// node); a service the compose file already places on one node (<c>node.hostname==</c> or <c>node.id==</c>). Which node:
/// the one the previous release pinned the service to while it is still in the cluster (its data is there); else the node
/// another service writing the same volume was pinned to in this deploy; else the manager (the reconciler creates Gantry's
/// volumes on the manager's engine, so the data starts there), when the service's own constraints allow it; else the first
/// node by name that accepts tasks and matches them.
/// </remarks>
public static class VolumePins
{
    /// <summary>One service pinned: the node and the volumes that put it there.</summary>
    public sealed record Pin(string Service, string Node, IReadOnlyList<string> Volumes, bool Kept)
    {
        public string Constraint => Constraint(Node);

        public string Describe() =>
            $"service '{Service}' writes to volume{(Volumes.Count > 1 ? "s" : "")} {string.Join(", ", Volumes.Select(v => $"'{v}'"))}, "
            + $"which stay{(Volumes.Count > 1 ? "" : "s")} on the node that holds {(Volumes.Count > 1 ? "them" : "it")}: "
            + $"pinned to {Node} ({Constraint}{(Kept ? ", as in the release before" : "")}); "
            + "to run it elsewhere, place it yourself (deploy.placement.constraints) or use a shared volume driver";
    }

    public static string Constraint(string node) => "node.hostname==" + node;

    /// <summary>The candidate with a pin added to each service that needs one, and the pins made.</summary>
    public static (AppSpec Spec, IReadOnlyList<Pin> Pins) Apply(AppSpec candidate, AppSpec? previous, IReadOnlyList<ClusterNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(nodes);
        var pins = new List<Pin>();
        var byVolume = new Dictionary<string, string>(StringComparer.Ordinal);
        var services = new List<ServiceSpec>(candidate.Services.Count);
        foreach (var service in candidate.Services)
        {
            var volumes = WrittenOwnedVolumes(candidate, service);
            var own = service.Placement?.Constraints ?? [];
            if (volumes.Count == 0 || own.Any(PlacesOnOneNode))
            {
                services.Add(service);
                continue;
            }

            var kept = PreviousPin(previous?.FindService(service.Name), own, nodes);
            var node = kept
                ?? volumes.Select(v => byVolume.GetValueOrDefault(v)).FirstOrDefault(n => n is not null)
                ?? Choose(nodes, own);
            if (node is null)
            {
                // No node could take it at all: the resource guard refuses the deploy with the numbers per node.
                services.Add(service);
                continue;
            }

            foreach (var volume in volumes)
            {
                byVolume.TryAdd(volume, node);
            }
            pins.Add(new Pin(service.Name, node, volumes, kept is not null));
            services.Add(service with
            {
                Placement = (service.Placement ?? new PlacementSpec()) with { Constraints = [.. own, Constraint(node)] },
            });
        }

        return pins.Count == 0 ? (candidate, pins) : (candidate with { Services = services }, pins);
    }

    /// <summary>The volumes Gantry creates (declared, not external, no `name:`, the local driver without options) that the
    /// service mounts writable, by their compose names.</summary>
    public static IReadOnlyList<string> WrittenOwnedVolumes(AppSpec app, ServiceSpec service) =>
        [.. service.Volumes
            .Where(m => m.Type == MountType.Volume && !m.ReadOnly && m.Source is not null)
            .Select(m => m.Source!)
            .Where(name => app.Volumes.FirstOrDefault(v => v.Name == name) is { External: false, EngineName: null, Driver: "local", DriverOptions.Count: 0 })
            .Distinct(StringComparer.Ordinal)];

    private static bool PlacesOnOneNode(string constraint)
    {
        var compact = constraint.Replace(" ", "", StringComparison.Ordinal);
        return compact.StartsWith("node.hostname==", StringComparison.Ordinal) || compact.StartsWith("node.id==", StringComparison.Ordinal);
    }

    /// <summary>The node the previous release's service was pinned to by Gantry (a hostname constraint the compose file does
    /// not have), while that node is still in the cluster.</summary>
    private static string? PreviousPin(ServiceSpec? before, IReadOnlyList<string> own, IReadOnlyList<ClusterNode> nodes)
    {
        foreach (var constraint in before?.Placement?.Constraints ?? [])
        {
            if (constraint.StartsWith("node.hostname==", StringComparison.Ordinal) && !own.Contains(constraint)
                && nodes.FirstOrDefault(n => n.Name == constraint["node.hostname==".Length..]) is { } node)
            {
                return node.Name;
            }
        }

        return null;
    }

    private static string? Choose(IReadOnlyList<ClusterNode> nodes, IReadOnlyList<string> own)
    {
        var eligible = nodes.Where(n => n.AcceptsTasks && own.All(c => ClusterGuard.Matches(n, c))).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        return (eligible.FirstOrDefault(n => n.Role == "manager") ?? eligible.FirstOrDefault())?.Name;
    }
}
