using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Registry.Api;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Events;

/// <summary>
/// Delivers events to one webhook URL as JSON, signed with "X-Gantry-Signature: sha256=&lt;hex HMAC of the body&gt;",
/// retrying failures (network errors, 5xx, 429) with exponential backoff measured on the TimeProvider.
/// </summary>
public sealed partial class WebhookEventSink(WebhookOptions webhook, HttpClient http, TimeProvider time, ILogger<WebhookEventSink> logger) : IRegistryEventSink
{
    public const string SignatureHeader = "X-Gantry-Signature";

    public async ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new WebhookEnvelope([e]), RegistryJsonContext.Default.WebhookEnvelope);
        string signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(webhook.Secret), body));
        TimeSpan delay = webhook.InitialBackoff;
        for (int attempt = 1; ; attempt++)
        {
            string? failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(SignatureHeader, signature);
                request.Headers.Add("X-Gantry-Event", e.Action == RegistryEventAction.Push ? "push" : "delete");
                request.Headers.Add("X-Gantry-Delivery", e.Id);
                using HttpResponseMessage response = await http.SendAsync(request, ct).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status < 300)
                {
                    return;
                }

                if (status < 500 && status != 429)
                {
                    LogRejected(logger, webhook.Url, status, e.Id);
                    return;
                }

                failure = $"HTTP {status}";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "timed out";
            }

            if (attempt >= webhook.MaxAttempts)
            {
                LogGaveUp(logger, webhook.Url, attempt, e.Id, failure);
                return;
            }

            await Task.Delay(delay, time, ct).ConfigureAwait(false);
            delay += delay;
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Webhook {Url} rejected delivery {Delivery} with HTTP {Status}; not retrying a client error")]
    private static partial void LogRejected(ILogger logger, Uri url, int status, string delivery);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "Webhook {Url} failed {Attempts} times for delivery {Delivery} (last: {Failure}); giving up")]
    private static partial void LogGaveUp(ILogger logger, Uri url, int attempts, string delivery, string? failure);
}
