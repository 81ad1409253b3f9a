namespace Gantry.Server.Builds;

/// <summary>How pushed commits are built (docs/decisions/0025): the limits every build runs under, the queue, and what is kept.</summary>
public sealed record BuildOptions
{
    /// <summary>CPUs each build step may use (`--build-cpus`); null: no limit.</summary>
    public double? Cpus { get; init; } = 1;

    /// <summary>Memory of each build step in bytes, swap not allowed beyond it (`--build-memory`); null: no limit.</summary>
    public long? MemoryBytes { get; init; } = 1L << 30;

    /// <summary>How long one build may take from the moment it leaves the queue (`--build-timeout`); past it the build is stopped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Builds the server runs at once (`--build-concurrency`); the others wait in order, with their position.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>The most of one build's output kept on disk (`--build-log-size`); past it the log says it was cut.</summary>
    public long LogMaxBytes { get; init; } = 1L << 20;

    /// <summary>Finished builds kept per app, with their logs (`--build-retention`); the oldest go when a new build starts.</summary>
    public int Keep { get; init; } = 20;

    /// <summary>The engine limits of one build.</summary>
    public Controllers.Engine.BuildLimits Limits => new(Cpus, MemoryBytes);

    /// <summary>Every value that cannot work, each named with the option that set it; empty when all can.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Cpus is { } cpus && (double.IsNaN(cpus) || cpus < 0.01))
        {
            errors.Add($"--build-cpus {cpus} is not a CPU count: use a number of at least 0.01 (e.g. 1 or 1.5)");
        }
        if (MemoryBytes is { } memory && memory < 6L << 20)
        {
            errors.Add($"--build-memory {memory} bytes is below the engine's minimum of 6MB: use e.g. 512M or 2G");
        }
        if (Timeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"--build-timeout {Timeout} is too short: use a duration of at least 1s (e.g. 10m, 1h)");
        }
        if (Concurrency < 1)
        {
            errors.Add($"--build-concurrency {Concurrency} must be at least 1");
        }
        if (LogMaxBytes < 1024)
        {
            errors.Add($"--build-log-size {LogMaxBytes} bytes is under 1KB: use e.g. 1M");
        }
        if (Keep < 1)
        {
            errors.Add($"--build-retention {Keep} must keep at least 1 build per app");
        }
        return errors;
    }
}
