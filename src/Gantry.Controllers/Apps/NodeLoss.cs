using System.Globalization;
using Gantry.Model.Status;

namespace Gantry.Controllers.Apps;

/// <summary>
/// What an app's events say when a cluster node takes replicas with it (issue 11's failover, docs/decisions/0031): which
/// replicas were lost with which node, and, once a service runs its desired count again, on which nodes. Pure: it compares
/// the status before and after a pass, so the reconciler records each transition once and nothing at rest.
/// </summary>
public static class NodeLoss
{
    /// <summary>A node that took replicas of a service with it.</summary>
    public sealed record Lost(string Service, string Node, string NodeState, IReadOnlyList<string> Replicas)
    {
        public string Message => NodeState == "drain"
            ? $"{Service}: {Replicas.Count} replica(s) moved off {Node} (drained): {string.Join(", ", Replicas)}; Swarm runs them on the other nodes"
            : $"{Service}: {Replicas.Count} replica(s) lost with {Node} ({NodeState}): {string.Join(", ", Replicas)}; Swarm runs them again on the other nodes";
    }

    /// <summary>The running replicas (by container or task id) that were on a cluster node before and are gone now.</summary>
    public static IReadOnlyList<ReplicaStatus> Vanished(AppStatus? previous, AppStatus next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var now = next.Services.SelectMany(s => s.Replicas).Select(r => r.ContainerId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return [.. (previous?.Services ?? []).SelectMany(s => s.Replicas)
            .Where(r => r.Node is not null && r.State == "running" && r.ContainerId is { } id && !now.Contains(id))];
    }

    /// <summary>The vanished replicas whose node is lost (its state or availability per <paramref name="nodeState"/>: down,
    /// disconnected or drain), by service and node; replicas removed on purpose on a healthy node are not losses.</summary>
    public static IReadOnlyList<Lost> Group(IReadOnlyList<ReplicaStatus> vanished, Func<string, string?> nodeState)
    {
        ArgumentNullException.ThrowIfNull(vanished);
        ArgumentNullException.ThrowIfNull(nodeState);
        return [.. vanished
            .Select(r => (Replica: r, State: nodeState(r.Node!)))
            .Where(r => r.State is "down" or "disconnected" or "drain")
            .GroupBy(r => (r.Replica.Service, r.Replica.Node!, r.State!))
            .OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new Lost(g.Key.Service, g.Key.Item2, g.Key.Item3, [.. g.Select(r => r.Replica.Name).Order(StringComparer.Ordinal)]))];
    }

    /// <summary>
    /// Of the services that lost replicas with a node (<paramref name="awaiting"/>), those that run their desired count again,
    /// with where their replicas run now ("web: 6 of 6 replicas running again: node1 3, node2 3").
    /// </summary>
    public static IReadOnlyList<(string Service, string Message)> Restored(AppStatus next, IReadOnlySet<string> awaiting)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(awaiting);
        var restored = new List<(string, string)>();
        foreach (var service in next.Services.Where(s => awaiting.Contains(s.Name)))
        {
            var running = service.Replicas.Where(r => r.State == "running" && r.Node is not null).ToList();
            if (running.Count < service.Desired)
            {
                continue;
            }
            var where = string.Join(", ", running.GroupBy(r => r.Node!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}")));
            restored.Add((service.Name, string.Create(CultureInfo.InvariantCulture, $"{service.Name}: {running.Count} of {service.Desired} replicas running again: {where}")));
        }
        return restored;
    }
}
