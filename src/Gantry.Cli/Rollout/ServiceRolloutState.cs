namespace Gantry.Cli.Rollout;

/// <summary>What a rollout has seen of one service so far: its image stage and which replicas reached which stage.</summary>
public sealed class ServiceRolloutState(string name)
{
    public string Name { get; } = name;

    /// <summary>"waiting", "building image", "image ready" or "image failed".</summary>
    public string ImageStage { get; set; } = "waiting";

    public HashSet<string> Created { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Started { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Healthy { get; } = new(StringComparer.Ordinal);

    public int Desired { get; set; }

    /// <summary>Counts from the last poll of the app's status (authoritative once the generation is observed).</summary>
    public int StatusReplicas { get; set; }

    public int StatusRunning { get; set; }

    public int StatusHealthy { get; set; }
}
