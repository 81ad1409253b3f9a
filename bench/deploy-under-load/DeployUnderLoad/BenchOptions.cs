using System.Globalization;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>What run.sh prepared (paths, images) and how long the scenario runs (ROUNDS and friends).</summary>
public sealed record BenchOptions
{
    public required string GantryBinary { get; init; }

    /// <summary>Scratch directory: server data, router state, logs, CLI config.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The compose files to deploy, in -f order (hello's compose.yaml, then the bench override).</summary>
    public required IReadOnlyList<string> ComposeFiles { get; init; }

    /// <summary>The two web images, e.g. gantry-bench-dul/web:v1-123 and :v2-123.</summary>
    public required string ImageV1 { get; init; }

    public required string ImageV2 { get; init; }

    public string App { get; init; } = "bench-hello";

    public string Host { get; init; } = "bench-hello.localhost";

    public int Rounds { get; init; } = 20;

    public int Rollbacks { get; init; } = 10;

    public int Concurrency { get; init; } = 16;

    public TimeSpan Steady { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);

    public double RollbackGoalSeconds { get; init; } = 1.0;

    /// <summary>Reads `--name value` pairs from run.sh, and ROUNDS, ROLLBACKS, CONCURRENCY, STEADY, SETTLE from the environment.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var v)
            ? v
            : throw new ArgumentException($"{name} is missing; run the bench through bench/deploy-under-load/run.sh");
        var rounds = Number(env, "ROUNDS", 20, 1);
        return new BenchOptions
        {
            GantryBinary = Required("--gantry"),
            WorkDirectory = Required("--work"),
            ComposeFiles = Required("--compose").Split(',', StringSplitOptions.RemoveEmptyEntries),
            ImageV1 = Required("--image-v1"),
            ImageV2 = Required("--image-v2"),
            Rounds = rounds,
            Rollbacks = Math.Min(Number(env, "ROLLBACKS", Math.Max(1, rounds / 2), 0), rounds),
            Concurrency = Number(env, "CONCURRENCY", 16, 1),
            Steady = TimeSpan.FromSeconds(Number(env, "STEADY", 10, 1)),
            Settle = TimeSpan.FromSeconds(Number(env, "SETTLE", 3, 1)),
        };
    }

    private static int Number(Func<string, string?> env, string name, int fallback, int minimum)
    {
        var text = env(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new ArgumentException($"{name}='{text}' is not a whole number of at least {minimum}; e.g. {name}={fallback}");
    }
}
