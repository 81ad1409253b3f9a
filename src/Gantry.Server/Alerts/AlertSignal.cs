namespace Gantry.Server.Alerts;

/// <summary>
/// A condition a rule sees now: the rule, whose it is (an app's service, or the installation), how bad, what with the
/// numbers, and how long it must hold before it fires (zero: at once).
/// </summary>
public sealed record AlertSignal(string Rule, string Severity, string? App, string? Service, string Summary, TimeSpan For)
{
    /// <summary>One alert per rule and service: "crash-loop/shop/web", "disk//".</summary>
    public string Key => $"{Rule}/{App}/{Service}";
}

/// <summary>The built-in rules' names and severities.</summary>
public static class AlertRules
{
    public const string CrashLoop = "crash-loop";
    public const string OomKilled = "oom-killed";
    public const string BelowDesired = "replicas-below-desired";
    public const string ErrorRate = "error-rate";
    public const string LatencyP95 = "latency-p95";
    public const string AutoscalerAtMax = "autoscaler-at-max";
    public const string Disk = "disk";

    public const string Critical = "critical";
    public const string Warning = "warning";
}
