using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Controllers.Resources;

/// <summary>
/// Refuses deploys that would overcommit a node's memory: the source material's cluster "avalanche"
/// came from containers without limits and a JVM that misjudged memory. Pure: it takes the desired
/// state of every app and the node's capacity and returns a verdict with the numbers.
/// </summary>
public static class ResourceGuard
{
    /// <summary>Memory one app's desired replicas are limited to, in total.</summary>
    public static long MemoryOf(AppSpec app, ResourceDefaults defaults)
    {
        long total = 0;
        foreach (var service in app.Services)
        {
            total += (long)service.Replicas * (service.Resources.MemoryLimitBytes ?? defaults.MemoryLimitBytes);
        }
        return total;
    }

    /// <summary>
    /// Checks that <paramref name="candidate"/> fits next to <paramref name="otherApps"/> (every other
    /// app's desired state; the candidate's own previous version is replaced, not added).
    /// </summary>
    public static GuardVerdict Check(AppSpec candidate, IEnumerable<AppSpec> otherApps, NodeCapacity node, ResourceDefaults defaults)
    {
        var mine = MemoryOf(candidate, defaults);
        long others = 0;
        foreach (var app in otherApps)
        {
            if (!string.Equals(app.Name, candidate.Name, StringComparison.Ordinal))
            {
                others += MemoryOf(app, defaults);
            }
        }
        var reserve = defaults.ReserveFor(node.MemoryBytes);
        var available = node.MemoryBytes - reserve;
        var total = mine + others;
        if (total <= available)
        {
            return new GuardVerdict(true, null, mine, others, available);
        }

        var breakdown = string.Join(", ", candidate.Services
            .Where(s => s.Replicas > 0)
            .Select(s => $"{s.Name} {s.Replicas} x {Bytes.Format(s.Resources.MemoryLimitBytes ?? defaults.MemoryLimitBytes)}"));
        var message =
            $"deploy of '{candidate.Name}' refused: memory limits on node '{node.Name}' would total {Bytes.Format(total)} " +
            $"(this app {Bytes.Format(mine)}: {breakdown}; other apps {Bytes.Format(others)}), but the node can give " +
            $"{Bytes.Format(available)} ({Bytes.Format(node.MemoryBytes)} total minus {Bytes.Format(reserve)} reserve). " +
            "Lower the replicas or deploy.resources.limits.memory, or remove another app.";
        return new GuardVerdict(false, message, mine, others, available);
    }

    /// <summary>
    /// How many more replicas of <paramref name="service"/> fit next to every app's desired state, by the same count
    /// <see cref="Check"/> makes: what the autoscaler may add without a refused scale.
    /// </summary>
    public static int RoomFor(AppSpec app, string service, IEnumerable<AppSpec> otherApps, NodeCapacity node, ResourceDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(defaults);
        var each = app.FindService(service)?.Resources.MemoryLimitBytes ?? defaults.MemoryLimitBytes;
        var used = MemoryOf(app, defaults) + otherApps.Where(a => !string.Equals(a.Name, app.Name, StringComparison.Ordinal)).Sum(a => MemoryOf(a, defaults));
        var free = node.MemoryBytes - defaults.ReserveFor(node.MemoryBytes) - used;
        return free <= 0 || each <= 0 ? 0 : (int)Math.Min(int.MaxValue, free / each);
    }
}

/// <summary>The guard's answer, with the figures it was computed from.</summary>
public sealed record GuardVerdict(bool Allowed, string? Reason, long AppBytes, long OtherAppsBytes, long AvailableBytes);
