using System.Globalization;
using Gantry.LoadGen;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>Prints the figures issue 4 asks for: requests served and failed, p99 steady and during deploys, rollback seconds.</summary>
public static class ResultPrinter
{
    private static readonly (string Name, Func<string, bool> Filter)[] Phases =
    [
        ("steady", p => p == Scenario.SteadyPhase),
        ("deploys", p => p.StartsWith("deploy ", StringComparison.Ordinal)),
        ("rollbacks", p => p.StartsWith("rollback ", StringComparison.Ordinal)),
        ("scale", p => p.StartsWith("scale ", StringComparison.Ordinal)),
        ("server restart", p => p == "server restart"),
    ];

    public static void Print(BenchResult result, BenchOptions options, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("== deploy-under-load results");
        var deploys = result.Steps.Where(s => s.Kind == StepKind.Deploy).ToList();
        var rollbacks = result.Steps.Where(s => s.Kind == StepKind.Rollback).ToList();
        o.WriteLine($"scenario: {deploys.Count} deploys (v1 <-> v2), {rollbacks.Count} rollbacks{(rollbacks.Any(r => r.Skipped) ? " (SKIPPED: no rollback verb)" : "")}, " +
            $"scale web 5 -> 2, {result.Steps.Count(s => s.Kind == StepKind.ServerRestart)} server restart; " +
            $"{options.Concurrency} connections through the router, Host {options.Host}");
        if (result.Report is { } report)
        {
            o.WriteLine(F($"requests served: {report.Served}    failed: {report.Failed}    (total {report.Total} in {report.Elapsed.TotalSeconds:0} s, {report.RequestsPerSecond:0} req/s)"));
            var kinds = report.FailuresByKind();
            if (kinds.Count > 0)
            {
                o.WriteLine("failures by kind: " + string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key}={k.Value}")));
                o.WriteLine($"first {report.Failures.Count} failures:");
                foreach (var failure in report.Failures)
                {
                    o.WriteLine("  " + LoadReportText.Failure(failure, report.Started));
                }
            }
            o.WriteLine(F($"{"latency",-16}{"requests",10}{"failed",8}{"p50",12}{"p99",12}{"max",12}"));
            foreach (var (name, filter) in Phases)
            {
                o.WriteLine(F($"  {name,-14}{report.Count(filter),10}{report.FailedIn(filter),8}{LoadReportText.Ms(report.Percentile(filter, 0.50)),12}{LoadReportText.Ms(report.Percentile(filter, 0.99)),12}{LoadReportText.Ms(report.Percentile(filter, 1.0)),12}"));
            }
        }
        if (deploys.Count > 0)
        {
            o.WriteLine(F($"deploys: {deploys.Count(d => d.Succeeded)} of {deploys.Count} ok; CLI seconds median {Median(deploys.Select(d => d.Seconds)):0.0}, max {deploys.Max(d => d.Seconds):0.0}; ") +
                Switch("all traffic on the new version after", deploys));
        }
        if (rollbacks.Count > 0 && rollbacks.All(r => r.Skipped))
        {
            o.WriteLine($"rollbacks: SKIPPED ({rollbacks.Count}): this gantry has no `rollback` verb yet; rollback seconds not measured");
        }
        else if (rollbacks.Count > 0)
        {
            var measured = rollbacks.Where(r => r.SwitchSeconds is not null).Select(r => r.SwitchSeconds!.Value).ToList();
            o.WriteLine("rollback seconds (gantry rollback -> all traffic on the old release): " +
                string.Join(" ", rollbacks.Select(r => r.Skipped ? "skipped" : r.SwitchSeconds is { } s ? F($"{s:0.000}") : "never")));
            if (measured.Count > 0)
            {
                o.WriteLine(F($"  median {Median(measured):0.000} s, max {measured.Max():0.000} s (goal < {options.RollbackGoalSeconds} s); CLI seconds median {Median(rollbacks.Select(r => r.Seconds)):0.0}"));
            }
        }
        foreach (var step in result.Steps.Where(s => s.Kind is StepKind.Scale or StepKind.ServerRestart))
        {
            o.WriteLine(F($"{step.Label}: {(step.Succeeded ? "ok" : "FAILED")} in {step.Seconds:0.0} s{(step.Note is null ? "" : " (" + step.Note + ")")}"));
        }
        if (result.AutomaticRollbacks.Count > 0)
        {
            o.WriteLine($"automatic rollbacks by the server: {result.AutomaticRollbacks.Count}");
            foreach (var line in result.AutomaticRollbacks)
            {
                o.WriteLine("  " + (line.Length > 300 ? line[..300] + "..." : line));
            }
        }
        var problems = result.Problems(options);
        o.WriteLine(problems.Count == 0 ? "verdict: PASS (zero failed requests, every rollback under the goal)" : "verdict: FAIL");
        foreach (var problem in problems)
        {
            o.WriteLine("  - " + problem);
        }
    }

    private static string Switch(string what, IReadOnlyList<StepRecord> steps)
    {
        var values = steps.Where(s => s.SwitchSeconds is not null).Select(s => s.SwitchSeconds!.Value).ToList();
        var never = steps.Count(s => s.SwitchSeconds is null);
        return values.Count == 0
            ? $"{what}: never"
            : F($"{what}: median {Median(values):0.00} s, max {values.Max():0.00} s{(never > 0 ? $", never in {never}" : "")}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
