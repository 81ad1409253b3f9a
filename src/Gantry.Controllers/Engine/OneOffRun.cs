namespace Gantry.Controllers.Engine;

/// <summary>
/// A container run once to its exit, outside any app's replicas: a push pipeline's test stage (docs/decisions/0026). It carries
/// none of Gantry's ownership labels, so no controller, collector or sampler ever sees it; its name is deterministic, so a run
/// a crash left behind is replaced by the next one of that name.
/// </summary>
/// <param name="Name">The container's name.</param>
/// <param name="Image">Image id or reference to run.</param>
/// <param name="Command">The command, exec form (it replaces the image's CMD); null: the image's own.</param>
/// <param name="Limits">CPU and memory of the container (the build limits), null fields unlimited.</param>
public sealed record OneOffRun(string Name, string Image, IReadOnlyList<string>? Command, BuildLimits? Limits)
{
    /// <summary>Labels that say what made it (for an operator's `docker ps`), never Gantry's ownership labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>KEY=VALUE entries.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The entry point; empty (the default) clears the image's, null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; } = [];

    /// <summary>A network of the run's own (<see cref="IEngineDriver.CreateOneOffNetworkAsync"/>) to join, with these names on it.</summary>
    public string? Network { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>The health check a service declares (its sidecar is waited for until healthy); null: the image's own.</summary>
    public Gantry.Model.HealthCheckSpec? HealthCheck { get; init; }
}
