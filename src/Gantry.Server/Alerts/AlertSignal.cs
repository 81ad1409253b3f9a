namespace Gantry.Server.Alerts;

/// <summary>
/// A condition a rule sees now: the rule, whose it is (an app's service, or the installation), how bad, what with the
/// numbers, and how long it must hold before it fires (zero: at once).
/// </summary>
public sealed record AlertSignal(string Rule, string Severity, string? App, string? Service, string Summary, TimeSpan For)
{
    /// <summary>What an installation-wide rule is about when it can hold for several things at once: a certificate's
    /// thumbprint, a node's name. Part of the key only.</summary>
    public string? Subject { get; init; }

    /// <summary>One alert per rule and service (and subject): "crash-loop/shop/web", "disk//", "node-down///worker-2".</summary>
    public string Key => Subject is null ? $"{Rule}/{App}/{Service}" : $"{Rule}/{App}/{Service}/{Subject}";
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
    public const string CertificateExpiry = "certificate-expiry";
    public const string NodeDown = "node-down";

    public const string Critical = "critical";
    public const string Warning = "warning";
}
