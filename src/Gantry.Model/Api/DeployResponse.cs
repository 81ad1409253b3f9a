namespace Gantry.Model.Api;

/// <summary>The answer to a deploy: the generation to wait for and where the progress events start.</summary>
public sealed record DeployResponse(string App, long Generation, bool Changed)
{
    /// <summary>Id of the last event before this deploy: follow events after it for progress.</summary>
    public long EventCursor { get; init; }

    /// <summary>The release the deploy made; null when it made none (a dry run, or exactly what runs already).</summary>
    public long? Release { get; init; }

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>Human-readable plan lines (what starts, what stops); always filled for dry runs.</summary>
    public IReadOnlyList<string> Plan { get; init; } = [];
}
