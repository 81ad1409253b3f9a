using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api.Cluster;

namespace Gantry.Cli.Commands;

/// <summary>`gantry nodes`: the cluster's nodes with role, state, availability, labels, capacity, Gantry's reservations and replicas (admins).</summary>
public static class NodesCommand
{
    public static Command Create(CliContext context) =>
        IdentityJson.Listing<NodeView>(context, "nodes", "The cluster's nodes: role, state, availability, labels, capacity, what Gantry reserved, replicas",
            "api/v1/cluster/nodes", j => j.IReadOnlyListNodeView,
            ["NODE", "ROLE", "STATE", "AVAILABILITY", "ADDRESS", "CPUS", "MEMORY", "RESERVED CPU", "RESERVED MEMORY", "REPLICAS", "ROUTER", "LABELS"],
            Row);

    internal static IReadOnlyList<string> Row(NodeView n) =>
    [
        n.Name,
        n.Role + (n.Leader ? " (leader)" : ""),
        n.State,
        n.Availability,
        n.Address ?? "-",
        n.Cpus.ToString("0.##", CultureInfo.InvariantCulture),
        Humanize.Bytes(n.MemoryBytes),
        n.ReservedCpus.ToString("0.##", CultureInfo.InvariantCulture),
        Humanize.Bytes(n.ReservedMemoryBytes),
        n.Replicas.ToString(CultureInfo.InvariantCulture),
        n.Router ?? "-",
        n.Labels.Count == 0 ? "-" : string.Join(',', n.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
    ];
}
