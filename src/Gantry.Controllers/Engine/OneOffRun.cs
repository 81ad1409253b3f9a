namespace Gantry.Controllers.Engine;

/// <summary>
/// A container run once to its exit, outside any app's replicas: a push pipeline's test stage (docs/decisions/0026). It carries
/// none of Gantry's ownership labels, so no controller, collector or sampler ever sees it; its name is deterministic, so a run
/// a crash left behind is replaced by the next one of that name.
/// </summary>
/// <param name="Name">The container's name.</param>
/// <param name="Image">Image id or reference to run.</param>
/// <param name="Command">The command, exec form (it replaces the image's CMD; the image's ENTRYPOINT is cleared).</param>
/// <param name="Limits">CPU and memory of the container (the build limits), null fields unlimited.</param>
public sealed record OneOffRun(string Name, string Image, IReadOnlyList<string> Command, BuildLimits? Limits)
{
    /// <summary>Labels that say what made it (for an operator's `docker ps`), never Gantry's ownership labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>KEY=VALUE entries.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];
}
