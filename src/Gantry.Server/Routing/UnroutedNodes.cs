using Gantry.Server.Alerts;
using Gantry.Server.Cluster;

namespace Gantry.Server.Routing;

/// <summary>
/// The cluster nodes whose replicas the route table leaves out (docs/decisions/0031): a node the manager reports down or
/// disconnected (its replicas cannot answer, whatever Swarm has decided about them yet), a drained one, and one that
/// `gantry node drain` is draining (its replicas leave the routers before Swarm stops them, as in a rolling deploy), and
/// one the server itself found gone before the manager's verdict (<see cref="Cluster.NodeLiveness"/>).
/// Follows <see cref="NodeWatch"/>, so it changes the moment the manager's node event arrives, not when Swarm reschedules.
/// </summary>
public sealed class UnroutedNodes
{
    private readonly NodeWatch _watch;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _current = new HashSet<string>(StringComparer.Ordinal);

    public UnroutedNodes(NodeWatch watch)
    {
        _watch = watch;
        watch.Changed += Refresh;
    }

    /// <summary>The node names whose replicas are left out of the route table now.</summary>
    public IReadOnlySet<string> Current => Volatile.Read(ref _current);

    /// <summary>Raised when <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    /// <summary>Starts leaving a node's replicas out before it is drained in Swarm (`gantry node drain`).</summary>
    public void BeginDrain(string node)
    {
        lock (_lock)
        {
            _draining.Add(node);
        }
        Refresh();
    }

    /// <summary>Ends the mark <see cref="BeginDrain"/> set: the node's own availability (drain) keeps its replicas out from
    /// here on, or the drain failed and the node serves again.</summary>
    public void EndDrain(string node)
    {
        lock (_lock)
        {
            _draining.Remove(node);
        }
        Refresh();
    }

    /// <summary>Leaves a node's replicas out because the server found the node gone (its router's connection dropped and the
    /// node answers no connect), before the manager's heartbeats have decided.</summary>
    public void MarkLost(string node)
    {
        lock (_lock)
        {
            _lost.Add(node);
        }
        Refresh();
    }

    /// <summary>Ends the mark <see cref="MarkLost"/> set: the node answered again, or the manager's verdict took over.</summary>
    public void ClearLost(string node)
    {
        lock (_lock)
        {
            _lost.Remove(node);
        }
        Refresh();
    }

    /// <summary>Which nodes are left out, from the nodes as the manager lists them, the drains under way and the nodes the
    /// server found gone. Pure.</summary>
    public static IReadOnlySet<string> Compute(IEnumerable<NodeCondition> nodes, IEnumerable<string> draining, IEnumerable<string>? lost = null)
    {
        var unrouted = new HashSet<string>(draining, StringComparer.Ordinal);
        unrouted.UnionWith(lost ?? []);
        foreach (var node in nodes)
        {
            // "unknown" is left in: a manager that restarts lists every node unknown until it hears from it, and dropping
            // every replica then would stop all traffic for a state that says nothing about the replicas.
            if (node.State is "down" or "disconnected" || node.Availability == "drain")
            {
                unrouted.Add(node.Name);
            }
        }
        return unrouted;
    }

    private void Refresh()
    {
        IReadOnlySet<string> next;
        bool changed;
        lock (_lock)
        {
            // A drain Swarm has taken over: the node's own availability keeps its replicas out from here on.
            _draining.RemoveWhere(d => _watch.Nodes.Any(n => n.Name == d && n.Availability == "drain"));
            next = Compute(_watch.Nodes, _draining, _lost);
            changed = !next.SetEquals(_current);
            if (changed)
            {
                Volatile.Write(ref _current, next);
            }
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
