namespace Gantry.Server.Alerts;

/// <summary>Where alerts go and the built-in rules' thresholds.</summary>
public sealed record AlertOptions
{
    /// <summary>Every alert's firing, repeat and resolved notice is posted to each of these.</summary>
    public IReadOnlyList<AlertWebhook> Webhooks { get; init; } = [];

    /// <summary>5xx share of a routed service's requests over <see cref="TrafficWindow"/> above which error-rate fires.</summary>
    public double ErrorRate { get; init; } = 0.05;

    /// <summary>Fewer requests than this in the window say nothing about an error rate.</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary>The p95 latency through the router above which latency-p95 fires.</summary>
    public TimeSpan P95 { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The window the traffic rules read.</summary>
    public TimeSpan TrafficWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a service must run fewer healthy replicas than desired before replicas-below-desired fires (a deploy's rollout is shorter).</summary>
    public TimeSpan BelowDesiredFor { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The share of the data directory's file system in use above which disk fires.</summary>
    public double DiskShare { get; init; } = 0.9;

    /// <summary>How long before a router's certificate expires certificate-expiry fires (critical once it has expired).</summary>
    public TimeSpan CertificateExpiry { get; init; } = TimeSpan.FromDays(14);

    /// <summary>A firing alert is notified again after this long, until it resolves.</summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Resolved alerts kept for `gantry alerts`.</summary>
    public int RecentResolved { get; init; } = 100;

    /// <summary>
    /// Reads webhooks as `gantry server --alert-webhook` and GANTRY_ALERT_WEBHOOKS (space- or comma-separated) write them:
    /// an http(s) URL gets the generic JSON, a URL prefixed "slack+" the Slack-compatible shape.
    /// </summary>
    public static (List<AlertWebhook> Webhooks, string? Error) ParseWebhooks(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var webhooks = new List<AlertWebhook>();
        foreach (var entry in entries)
        {
            var slack = entry.StartsWith("slack+", StringComparison.OrdinalIgnoreCase);
            var text = slack ? entry["slack+".Length..] : entry;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                return ([], $"alert webhook '{AlertWebhook.Redact(text)}' is not an http or https URL; write one such as https://alerts.example.com/hook, or slack+https://hooks.slack.com/services/... for Slack");
            }
            webhooks.Add(new AlertWebhook(url, slack ? AlertFormat.Slack : AlertFormat.Json));
        }
        return (webhooks, null);
    }
}

/// <summary>A webhook alerts are posted to, and the shape it takes.</summary>
public sealed record AlertWebhook(Uri Url, AlertFormat Format)
{
    /// <summary>The URL as logs may show it: scheme, host and port only (a Slack URL's path is its secret).</summary>
    public string Shown => Redact(Url.AbsoluteUri);

    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}/..." : "(not a URL)";
}

public enum AlertFormat
{
    /// <summary>{"status": "firing", "rule": ..., "summary": ...}</summary>
    Json,
    /// <summary>{"text": "..."}: Slack's incoming webhooks, and Mattermost's and Rocket.Chat's.</summary>
    Slack,
}
