using Gantry.Store;

namespace Gantry.Controllers.Apps;

/// <summary>
/// Which changes are worth a reconcile pass (controller-runtime's predicates). A pass is level-based, so
/// skipping a change is safe only when it cannot change what the pass would do: an app's own status write,
/// and engine events that do not change what is observed (every health check's exec_create/exec_start/exec_die).
/// </summary>
public sealed class ReconcileTriggers
{
    /// <summary>Container actions that change what the planner observes; anything else (exec_*, attach, resize, top...) is noise.</summary>
    private static readonly HashSet<string> ObservedActions = new(StringComparer.Ordinal)
    {
        "start", "die", "oom", "destroy", "pause", "unpause", "restart", "health_status",
        // A Swarm node changed (down, drained, active): Swarm moves the tasks on it (issue 11).
        "node",
    };

    private readonly Dictionary<string, (string Uid, long Generation, bool Deleting)> _seen = new(StringComparer.Ordinal);

    /// <summary>True when an engine event's action (its part before ':') can change an app's observed state.</summary>
    public static bool IsObservedChange(string action) => ObservedActions.Contains(action);

    /// <summary>
    /// True when a store change of an app asks for a pass: a new app, a new generation (spec), a deletion mark,
    /// a deletion, or a re-created name. A change of status alone (the controller's own write) is not.
    /// Not thread-safe: one store watch calls it.
    /// </summary>
    public bool IsSpecChange(ResourceChange change)
    {
        if (change.Resource is not { } resource)
        {
            return false;
        }
        if (change.Type == ResourceChangeType.Deleted)
        {
            _seen.Remove(resource.Name);
            return true;
        }
        var now = (resource.Uid, resource.Generation, resource.IsBeingDeleted);
        if (_seen.TryGetValue(resource.Name, out var before) && before == now)
        {
            return false;
        }
        _seen[resource.Name] = now;
        return true;
    }

    /// <summary>Forgets what was seen: after a watch restarts, its listing queues every app once.</summary>
    public void Reset() => _seen.Clear();
}
