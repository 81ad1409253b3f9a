using System.Globalization;
using Gantry.Model.Api.Cluster;

namespace Gantry.Console.Cluster;

/// <summary>How the node view words a node: reserved against capacity, and whether Swarm places new replicas there. Pure.</summary>
public static class NodeDisplay
{
    /// <summary>"0.75 of 2 CPUs (38 %)": what Gantry's replicas reserve there against what the node has.</summary>
    public static string Cpus(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return $"{Number(node.ReservedCpus)} of {Number(node.Cpus)} CPU{(node.Cpus == 1 ? "" : "s")}{Share(node.ReservedCpus, node.Cpus)}";
    }

    /// <summary>"256 MiB of 1.9 GiB (13 %)".</summary>
    public static string Memory(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return $"{Pages.Display.Bytes(node.ReservedMemoryBytes)} of {Pages.Display.Bytes(node.MemoryBytes)}{Share(node.ReservedMemoryBytes, node.MemoryBytes)}";
    }

    /// <summary>Swarm places new replicas only on a ready node whose availability is active; the page marks the others.</summary>
    public static bool AcceptsReplicas(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.State == "ready" && node.Availability == "active";
    }

    /// <summary>"manager (leader)", "worker".</summary>
    public static string Role(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Leader ? node.Role + " (leader)" : node.Role;
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Share(double reserved, double capacity) =>
        capacity > 0 ? $" ({(reserved / capacity * 100).ToString("0", CultureInfo.InvariantCulture)} %)" : "";
}
