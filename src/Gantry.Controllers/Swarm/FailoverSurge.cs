using System.Globalization;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Capacity back before Swarm's own replacements run (docs/decisions/0031). When a node goes down, Swarm shuts its tasks
/// down and creates a replacement per lost slot, but holds each one for the service's restart delay (5 s by default) before
/// it may start. Raising the service's replica count by the lost count creates tasks that start at once; once the service
/// runs its own count again the count goes back, and Swarm's scale-down removes the tasks that are not running (the held
/// replacements) first. The raise is recorded on the Swarm service itself (<see cref="Label"/>, in the same update as the
/// count), so a server that restarts in between lowers it as any other would, and the version index of that one update
/// makes two passes that race raise it once. Pure: the driver lists, decides here and updates.
/// </summary>
public static class FailoverSurge
{
    /// <summary>The service label holding how many replicas a failover added (absent: none).</summary>
    public const string Label = "gantry.failover-surge";

    /// <summary>How long after a node was marked down a shortfall counts as its loss (later ones are Swarm's ordinary restarts).</summary>
    public static readonly TimeSpan LossWindow = TimeSpan.FromSeconds(60);

    public enum Step
    {
        /// <summary>Nothing to change.</summary>
        None,

        /// <summary>Raise the count to <see cref="Decision.Replicas"/>, recording <see cref="Decision.Surge"/> in the label.</summary>
        Raise,

        /// <summary>Lower the count back to <see cref="Decision.Replicas"/> and drop the label.</summary>
        Lower,
    }

    public readonly record struct Decision(Step Step, long Replicas, int Surge);

    /// <summary>What to do with one replicated service.</summary>
    /// <param name="replicas">The service's replica count as Swarm has it now (including a surge).</param>
    /// <param name="surge">The surge its label records (0: none).</param>
    /// <param name="listed">Its tasks whose desired state is running (held replacements are not: Swarm holds them at "ready").</param>
    /// <param name="running">Of those, the ones running now.</param>
    /// <param name="nodeJustLost">A node was marked down or disconnected within <see cref="LossWindow"/>.</param>
    public static Decision Decide(long replicas, int surge, int listed, int running, bool nodeJustLost)
    {
        if (surge > 0)
        {
            var own = Math.Max(0, replicas - surge);
            return running >= own ? new Decision(Step.Lower, own, 0) : new Decision(Step.None, replicas, surge);
        }
        var missing = replicas - listed;
        return nodeJustLost && missing > 0 ? new Decision(Step.Raise, replicas + missing, (int)missing) : new Decision(Step.None, replicas, 0);
    }

    /// <summary>The surge a service's labels record; 0 when none or unreadable.</summary>
    public static int Of(IReadOnlyDictionary<string, string>? labels) =>
        labels?.GetValueOrDefault(Label) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var surge) ? surge : 0;

    /// <summary>The labels with the surge set (or removed when 0).</summary>
    public static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string>? labels, int surge)
    {
        var next = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (key != Label)
            {
                next[key] = value;
            }
        }
        if (surge > 0)
        {
            next[Label] = surge.ToString(CultureInfo.InvariantCulture);
        }
        return next;
    }

    /// <summary>Whether a node's state and last change make it one just lost.</summary>
    public static bool JustLost(string state, DateTimeOffset updatedAt, DateTimeOffset now) =>
        state is "down" or "disconnected" && now - updatedAt <= LossWindow;
}
