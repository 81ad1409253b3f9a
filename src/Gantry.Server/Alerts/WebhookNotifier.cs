using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Alerts;

/// <summary>
/// Posts alert notices to the configured webhooks from one background loop, so a slow or dead receiver never holds up
/// the evaluation: each notice is tried up to <see cref="Attempts"/> times with a growing pause, then dropped and logged.
/// Logs show a webhook by host only (a Slack URL's path is its secret).
/// </summary>
public sealed partial class WebhookNotifier(AlertOptions options, ILogger<WebhookNotifier> logger) : BackgroundService
{
    public const int Attempts = 3;

    /// <summary>Notices waiting beyond this are dropped (oldest first) rather than grow without bound while a receiver is down.</summary>
    private const int Capacity = 1000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<AlertTransition> _queue = Channel.CreateBounded<AlertTransition>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = Timeout };

    /// <summary>Delays between attempts; tests shorten them.</summary>
    public TimeSpan[] Backoff { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)];

    public void Enqueue(AlertTransition transition)
    {
        if (options.Webhooks.Count > 0)
        {
            _queue.Writer.TryWrite(transition);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var transition in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var webhook in options.Webhooks)
                {
                    await DeliverAsync(webhook, transition, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(AlertWebhook webhook, AlertTransition transition, CancellationToken ct)
    {
        string? failure = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var content = Body(webhook.Format, transition);
                using var response = await _http.PostAsync(webhook.Url, content, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                failure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = e.Message;
            }
            if (attempt < Attempts)
            {
                await Task.Delay(Backoff[Math.Min(attempt - 1, Backoff.Length - 1)], ct).ConfigureAwait(false);
            }
        }
        LogDropped(logger, transition.Alert.Rule, transition.Kind.ToString(), webhook.Shown, Attempts, failure ?? "");
    }

    /// <summary>The notice in the webhook's shape.</summary>
    public static JsonContent Body(AlertFormat format, AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var alert = transition.Alert;
        var status = transition.Kind == AlertTransitionKind.Resolved ? "resolved" : "firing";
        if (format == AlertFormat.Slack)
        {
            var icon = status == "resolved" ? ":white_check_mark:" : alert.Severity == AlertRules.Critical ? ":rotating_light:" : ":warning:";
            var where = alert.App is null ? "gantry" : $"{alert.App}/{alert.Service}";
            var text = $"{icon} [{status.ToUpperInvariant()}{(transition.Kind == AlertTransitionKind.Repeat ? ", still" : "")}] {alert.Rule} on {where}: {alert.Summary}";
            return JsonContent.Create(new SlackNotice(text), AlertJsonContext.Default.SlackNotice);
        }
        return JsonContent.Create(new AlertNotice(status, transition.Kind == AlertTransitionKind.Repeat, alert.Rule, alert.Severity, alert.App, alert.Service,
            alert.Summary, alert.Since, alert.ResolvedAt), AlertJsonContext.Default.AlertNotice);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Rule} ({Kind}) not delivered to {Webhook} after {Attempts} attempts: {Failure}")]
    private static partial void LogDropped(ILogger logger, string rule, string kind, string webhook, int attempts, string failure);
}

/// <summary>The generic JSON notice.</summary>
public sealed record AlertNotice(string Status, bool Repeat, string Rule, string Severity, string? App, string? Service, string Summary, DateTimeOffset Since, DateTimeOffset? ResolvedAt);

/// <summary>Slack's (and Mattermost's, Rocket.Chat's) incoming webhook shape.</summary>
public sealed record SlackNotice(string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertNotice))]
[JsonSerializable(typeof(SlackNotice))]
[JsonSerializable(typeof(Gantry.Model.Api.AlertView))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
