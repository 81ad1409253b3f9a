namespace Gantry.Model.Api;

/// <summary>
/// One alert as `GET /api/v1/alerts` and `gantry alerts` show it: a rule's condition on an app's service (or on the
/// installation, when <see cref="App"/> is null), firing now or resolved recently.
/// </summary>
/// <param name="Rule">The rule's name: crash-loop, oom-killed, replicas-below-desired, error-rate, latency-p95, autoscaler-at-max, disk.</param>
/// <param name="Severity">critical or warning.</param>
/// <param name="State">firing or resolved.</param>
/// <param name="Summary">What is wrong, with the numbers.</param>
/// <param name="Since">When the condition started to fire.</param>
public sealed record AlertView(string Rule, string Severity, string State, string? App, string? Service, string Summary, DateTimeOffset Since)
{
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>When the alert was last announced (its first notice or its last repeat) to the configured webhooks, if any.</summary>
    public DateTimeOffset? NotifiedAt { get; init; }
}
