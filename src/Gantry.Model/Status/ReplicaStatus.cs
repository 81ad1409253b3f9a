namespace Gantry.Model.Status;

/// <summary>Observed state of one replica (container) of a service.</summary>
/// <param name="Name">Engine container name (deterministic: app-service-slot-hash).</param>
public sealed record ReplicaStatus(string Name, string Service, int Slot)
{
    public string? ContainerId { get; init; }

    public string? SpecHash { get; init; }

    /// <summary>Engine state: created, running, restarting, exited, dead, or "backoff" while Gantry waits to restart it.</summary>
    public string State { get; init; } = "created";

    /// <summary>none, starting, healthy or unhealthy.</summary>
    public string Health { get; init; } = "none";

    public int? ExitCode { get; init; }

    public bool OomKilled { get; init; }

    /// <summary>Restarts Gantry made of this slot since it last ran stably.</summary>
    public int Restarts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When a crash-looping replica is next restarted.</summary>
    public DateTimeOffset? NextRestartAt { get; init; }

    /// <summary>Why it is not running: exit code, OOM kill, last log lines.</summary>
    public string? Message { get; init; }

    /// <summary>The engine's restart policy keeps restarting it (see <see cref="Message"/> for the last exit).</summary>
    public bool CrashLooping { get; init; }

    /// <summary>Gantry stopped restarting it: restart_policy.max_attempts was reached.</summary>
    public bool GaveUp { get; init; }

    public long? MemoryLimitBytes { get; init; }

    public long? NanoCpus { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>The Swarm node it runs on (its hostname); null on a single engine.</summary>
    public string? Node { get; init; }

    /// <summary>For routed services: live, canary, staged, warm or draining (see <see cref="TrafficRole"/>); null when not routed.</summary>
    public string? Traffic { get; init; }

    /// <summary>Canary weight (0-100 share of this replica's release) when <see cref="Traffic"/> is canary.</summary>
    public int? Weight { get; init; }

    /// <summary>When it left the route table (draining).</summary>
    public DateTimeOffset? DrainingSince { get; init; }
}
