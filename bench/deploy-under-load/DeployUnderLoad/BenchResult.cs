using Gantry.LoadGen;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>What a bench run produced: the load report, every step, and why it stopped early if it did.</summary>
public sealed record BenchResult(LoadReport? Report, IReadOnlyList<StepRecord> Steps, string? Aborted)
{
    /// <summary>The server's log lines about rolling a release back by itself (issue 4's automatic rollback).</summary>
    public IReadOnlyList<string> AutomaticRollbacks { get; init; } = [];

    /// <summary>Why the run fails its goal, one reason each; empty when it passed.</summary>
    public IReadOnlyList<string> Problems(BenchOptions options)
    {
        var problems = new List<string>();
        if (Aborted is not null)
        {
            problems.Add("aborted: " + Aborted);
        }
        if (Report is { Failed: > 0 } report)
        {
            problems.Add($"{report.Failed} failed requests");
        }
        problems.AddRange(Steps.Where(s => s.Problem).Select(s =>
            $"{s.Label}: {(s.Succeeded ? $"traffic never settled on {s.ExpectedVersion}" : "failed")}{(s.Note is null ? "" : " (" + s.Note + ")")}"));
        problems.AddRange(Steps
            .Where(s => s.Kind == StepKind.Rollback && s.SwitchSeconds > options.RollbackGoalSeconds)
            .Select(s => $"{s.Label}: all traffic on {s.ExpectedVersion} after {s.SwitchSeconds:0.000} s (goal < {options.RollbackGoalSeconds} s)"));
        return problems;
    }
}
