using System.Globalization;
using Gantry.Model;

namespace Gantry.Controllers.Resources;

/// <summary>
/// Refuses a deploy onto a Swarm that cannot be placed, with the numbers per node (issue 11). It is not a scheduler: Swarm
/// places tasks. It only counts, per service, how many replicas each eligible node could take (free memory and CPU against
/// the replica's reservation, <c>max_replicas_per_node</c>, constraints), and across the app whether the eligible nodes have
/// room for everything. Both are necessary conditions, so a refusal is certain: anything it lets through may still wait in
/// Swarm's queue for reasons it does not model (a constraint on an attribute it does not know is taken as matching).
/// Pure: nodes and specs in, a verdict out.
/// </summary>
public static class ClusterGuard
{
    /// <summary>
    /// Memory one replica reserves on its node: its reservation, else its limit (Gantry asks Swarm to reserve the limit, so a
    /// node is never promised more than it has), else the default limit.
    /// </summary>
    public static long MemoryPerReplica(ServiceSpec service, ResourceDefaults defaults) =>
        service.Resources.MemoryReservationBytes ?? service.Resources.MemoryLimitBytes ?? defaults.MemoryLimitBytes;

    /// <summary>CPU one replica reserves (billionths of a CPU); 0 when it reserves none.</summary>
    public static long CpusPerReplica(ServiceSpec service) => service.Resources.NanoCpusReservation ?? 0;

    /// <summary>Checks candidate against nodes, whose reservations are every other app's (the candidate's old replicas left out).</summary>
    public static ClusterVerdict Check(AppSpec candidate, IReadOnlyList<ClusterNode> nodes, ResourceDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(defaults);
        var problems = new List<string>();
        long appMemory = 0;
        long appCpus = 0;
        var eligible = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in candidate.Services.Where(s => s.Replicas > 0))
        {
            var memory = MemoryPerReplica(service, defaults);
            var cpus = CpusPerReplica(service);
            appMemory += memory * service.Replicas;
            appCpus += cpus * service.Replicas;
            var rooms = nodes.Select(n => Room(n, service, memory, cpus)).ToList();
            foreach (var room in rooms.Where(r => r.Eligible))
            {
                eligible.Add(room.Node.Name);
            }
            var fits = rooms.Sum(r => (long)r.Replicas);
            if (fits < service.Replicas)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"service {service.Name} needs {service.Replicas} x ({Needs(memory, cpus)}) but the nodes can take {fits}: ")
                    + string.Join("; ", rooms.Select(r => $"{r.Node.Name} {r.Replicas} ({r.Why})")));
            }
        }
        if (problems.Count == 0)
        {
            // Every service fits alone; the app as a whole must fit in the nodes any of its services may use.
            var pool = nodes.Where(n => eligible.Contains(n.Name)).ToList();
            var freeMemory = pool.Sum(FreeMemory);
            var freeCpus = pool.Sum(FreeCpus);
            if (appMemory > freeMemory || appCpus > freeCpus)
            {
                // CPU is named only when the app reserves some: otherwise it is not what stops the deploy.
                var cpuShown = appCpus > 0 ? 1 : 0;
                problems.Add($"the app needs {Needs(appMemory, appCpus)} in all, but its nodes have {Needs(freeMemory, freeCpus * cpuShown)} free: "
                    + string.Join("; ", pool.Select(n => $"{n.Name} {Needs(FreeMemory(n), FreeCpus(n) * cpuShown)} free")));
            }
        }
        return problems.Count == 0
            ? new ClusterVerdict(true, null)
            : new ClusterVerdict(false, $"deploy of '{candidate.Name}' refused: it cannot be placed on the cluster: {string.Join(". ", problems)}. "
                + "Lower the replicas or the reservations, loosen the placement, or add a node (gantry node add).");
    }

    private static NodeRoom Room(ClusterNode node, ServiceSpec service, long memory, long cpus)
    {
        if (!node.AcceptsTasks)
        {
            return new NodeRoom(node, false, 0, $"{node.State}, {node.Availability}");
        }
        var placement = service.Placement;
        foreach (var constraint in placement?.Constraints ?? [])
        {
            if (!Matches(node, constraint))
            {
                return new NodeRoom(node, false, 0, $"does not match {constraint}");
            }
        }
        var byMemory = memory <= 0 ? long.MaxValue : Math.Max(0, FreeMemory(node)) / memory;
        var byCpus = cpus <= 0 ? long.MaxValue : Math.Max(0, FreeCpus(node)) / cpus;
        var max = placement?.MaxReplicasPerNode is > 0 and var m ? m : long.MaxValue;
        var replicas = Math.Min(Math.Min(byMemory, byCpus), Math.Min(max, service.Replicas));
        var why = replicas == max && max < service.Replicas ? $"max_replicas_per_node {max}"
            : $"{Bytes.Format(Math.Max(0, FreeMemory(node)))} of {Bytes.Format(node.MemoryBytes)} memory free"
              + (cpus > 0 ? $", {Cpus(Math.Max(0, FreeCpus(node)))} of {Cpus(node.NanoCpus)} CPU free" : "");
        return new NodeRoom(node, true, (int)replicas, why);
    }

    /// <summary>
    /// Whether a node satisfies one Swarm constraint (node.role, node.hostname, node.id, node.labels.KEY with == or !=).
    /// Any other attribute counts as matching: the guard refuses only what certainly cannot be placed.
    /// </summary>
    public static bool Matches(ClusterNode node, string constraint)
    {
        ArgumentNullException.ThrowIfNull(node);
        var equal = constraint.IndexOf("==", StringComparison.Ordinal);
        var notEqual = constraint.IndexOf("!=", StringComparison.Ordinal);
        var at = equal >= 0 ? equal : notEqual;
        if (at < 0)
        {
            return true;
        }
        var key = constraint[..at].Trim();
        var expected = constraint[(at + 2)..].Trim();
        string? actual = key switch
        {
            "node.role" => node.Role,
            "node.hostname" => node.Name,
            _ when key.StartsWith("node.labels.", StringComparison.Ordinal) => node.Labels.GetValueOrDefault(key["node.labels.".Length..]),
            _ => null,
        };
        if (actual is null && !key.StartsWith("node.labels.", StringComparison.Ordinal))
        {
            return true;
        }
        var same = string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
        return equal >= 0 ? same : !same;
    }

    private static long FreeMemory(ClusterNode node) => node.MemoryBytes - node.ReservedMemoryBytes;

    private static long FreeCpus(ClusterNode node) => node.NanoCpus - node.ReservedNanoCpus;

    private static string Needs(long memory, long cpus) => Bytes.Format(memory) + " memory" + (cpus > 0 ? $", {Cpus(cpus)} CPU" : "");

    private static string Cpus(long nanoCpus) => (nanoCpus / 1e9).ToString("0.##", CultureInfo.InvariantCulture);

    private sealed record NodeRoom(ClusterNode Node, bool Eligible, int Replicas, string Why);
}

/// <summary>The cluster guard's answer: allowed, or why not with the numbers per node.</summary>
public sealed record ClusterVerdict(bool Allowed, string? Reason);
