namespace Gantry.Controllers.Engine;

/// <summary>A Gantry container as the engine reports it (list plus inspect).</summary>
public sealed record ObservedContainer(string Id, string Name)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? App => Labels.GetValueOrDefault(Model.GantryLabels.App);

    public string? Service => Labels.GetValueOrDefault(Model.GantryLabels.Service);

    public string? SpecHash => Labels.GetValueOrDefault(Model.GantryLabels.SpecHash);

    public int Slot => int.TryParse(Labels.GetValueOrDefault(Model.GantryLabels.Slot), out var slot) ? slot : 0;

    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string State { get; init; } = "created";

    /// <summary>none, starting, healthy or unhealthy.</summary>
    public string Health { get; init; } = "none";

    public int ExitCode { get; init; }

    public bool OomKilled { get; init; }

    /// <summary>Restarts the engine made by its own restart policy.</summary>
    public int RestartCount { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string ImageId { get; init; } = "";

    public long MemoryLimitBytes { get; init; }

    public long NanoCpus { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>The Swarm node (hostname) a task runs on; null for a container on the server's own engine.</summary>
    public string? Node { get; init; }

    public bool IsRunning => State is "running";

    /// <summary>Exited or dead, and the engine will not restart it by itself.</summary>
    public bool IsStopped => State is "exited" or "dead" or "created";
}
