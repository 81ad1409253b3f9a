using System.Net;
using Gantry.Router.Clusters;
using Gantry.Router.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Router.Forwarder;

/// <summary>Sends one request to one destination over HTTP/1.1 and streams the response back; failures come back as a <see cref="ForwarderError"/>.</summary>
/// <remarks>Hot path: no DI, no LINQ, one HttpRequestMessage (+ content when there is a body) per attempt. Response bodies are
/// read straight into Kestrel's pipe memory (BodyWriter.GetMemory) so each chunk is copied once, and flushed per read so
/// memory stays bounded by one chunk no matter how large the body.</remarks>
public sealed class HttpForwarder
{
    private readonly HttpMessageInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly TimeoutSourcePool _timeouts = new();

    public HttpForwarder(HttpMessageInvoker invoker, TimeProvider time)
    {
        _invoker = invoker;
        _time = time;
    }

    /// <summary>Per-request values computed once and shared by every attempt.</summary>
    /// <param name="SetCookie">A Set-Cookie value the router adds to the response (the sticky-split cookie of a new client), or null.</param>
    public readonly record struct RequestContext(string PathAndQuery, string TraceParent, bool IsUpgrade, bool HasBody, string? SetCookie = null);

    public async ValueTask<(ForwarderError Error, bool BodyStarted)> ForwardAsync(HttpContext context, RequestRecord record,
        DestinationState destination, ClusterState cluster, RequestContext request)
    {
        var client = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Parse(client.Method), destination.BaseAddress + request.PathAndQuery)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        StreamingRequestContent? content = null;
        if (request.HasBody && !request.IsUpgrade)
        {
            message.Content = content = new StreamingRequestContent(client, client.ContentLength);
        }

        HeaderRules.CopyRequestHeaders(client, message, request.IsUpgrade);
        var headers = message.Headers;
        headers.TryAddWithoutValidation("Host", client.Host.Value);
        headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        headers.TryAddWithoutValidation("X-Forwarded-Proto", client.Scheme);
        headers.TryAddWithoutValidation("X-Forwarded-Host", client.Host.Value);
        headers.TryAddWithoutValidation("traceparent", request.TraceParent);
        headers.TryAddWithoutValidation("X-Request-Id", record.RequestId);

        var clientAborted = context.RequestAborted;
        using var timeout = _timeouts.Rent(clientAborted, cluster.RequestTimeout);
        HttpResponseMessage response;
        {
            ForwarderStream.CurrentRecord.Value = record;
            record.FirstWriteTs = 0;
            record.SendTs = _time.GetTimestamp();
            try
            {
                response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
                message.Dispose();
                var started = content?.Started ?? false;
                record.BytesIn += content?.BytesSent ?? 0;
                if (!clientAborted.IsCancellationRequested && (content?.ClientMalformed ?? false))
                {
                    // Kestrel refused the body (a bad chunk size, a body short of its Content-Length) and the client is still
                    // connected: it is owed a 400, not the silent end of a client that went away.
                    record.Error = "malformed request body: " + (ex.InnerException?.Message ?? ex.Message);
                    return (ForwarderError.ClientBadRequest, started);
                }

                if (clientAborted.IsCancellationRequested || (content?.ClientFailed ?? false))
                {
                    return (ForwarderError.ClientAborted, started);
                }

                if (ex is OperationCanceledException && ex.InnerException is TimeoutException && !timeout.Token.IsCancellationRequested && !started
                    && record.FirstWriteTs == 0)
                {
                    // SocketsHttpHandler's ConnectTimeout surfaces as a cancellation wrapping a TimeoutException while our own
                    // request timeout has not fired: the connection never opened, so nothing was sent and a retry is safe.
                    record.Error = ex.InnerException.Message;
                    return (ForwarderError.ConnectFailed, started);
                }

                if (ex is OperationCanceledException)
                {
                    record.Error = "no response headers within " + cluster.RequestTimeout.ToString();
                    return (ForwarderError.Timeout, started);
                }

                record.Error = ex.InnerException?.Message ?? ex.Message;
                // "Connect failed" must mean no request byte left: ForwarderStream stamps FirstWriteTs on the first write, so a
                // connection error after that (a reset while writing) is a request failure and only idempotent methods retry.
                return ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
                    && !started && record.FirstWriteTs == 0
                    ? (ForwarderError.ConnectFailed, started)
                    : (ForwarderError.RequestFailed, started);
            }
        }

        timeout.Disarm();
        using (message)
        using (response)
        {
            record.HeadersTs = _time.GetTimestamp();
            record.BytesIn += content?.BytesSent ?? 0;
            var status = (int)response.StatusCode;
            record.Status = status;
            var bodyStarted = content?.Started ?? false;
            if (status == StatusCodes.Status101SwitchingProtocols && request.IsUpgrade)
            {
                return (await UpgradeAsync(context, record, response).ConfigureAwait(false), bodyStarted);
            }

            var target = context.Response;
            target.StatusCode = status;
            HeaderRules.CopyResponseHeaders(response, target, isUpgrade: false);
            target.Headers["X-Request-Id"] = record.RequestId;
            if (request.SetCookie is not null)
            {
                // Appended after the copy, which replaces headers: the backend's own cookies stay.
                target.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.SetCookie, request.SetCookie);
            }

            return (await CopyResponseBodyAsync(context, record, response).ConfigureAwait(false), bodyStarted);
        }
    }

    private static async ValueTask<ForwarderError> CopyResponseBodyAsync(HttpContext context, RequestRecord record, HttpResponseMessage response)
    {
        var clientAborted = context.RequestAborted;
        var writer = context.Response.BodyWriter;
        Stream upstream;
        try
        {
            upstream = await response.Content.ReadAsStreamAsync(clientAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return Fail(context, record, ex, clientAborted.IsCancellationRequested);
        }

        await using (upstream.ConfigureAwait(false))
        {
            while (true)
            {
                int read;
                try
                {
                    // 16 KiB asks: enough for most responses in one go, while staying small enough that a 100 MB body
                    // only ever occupies a few chunks of pipe memory (Kestrel's pipe applies back-pressure past 64 KiB).
                    var memory = writer.GetMemory(16 * 1024);
                    read = await upstream.ReadAsync(memory, clientAborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    return Fail(context, record, ex, clientAborted.IsCancellationRequested);
                }

                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                record.BytesOut += read;
                var flush = await writer.FlushAsync(clientAborted).ConfigureAwait(false);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    return ForwarderError.ResponseBodyClient;
                }
            }
        }

        return ForwarderError.None;
    }

    private static ForwarderError Fail(HttpContext context, RequestRecord record, Exception ex, bool clientGone)
    {
        if (clientGone)
        {
            return ForwarderError.ResponseBodyClient;
        }

        record.Error = ex.InnerException?.Message ?? ex.Message;
        // The status line is already out: the only honest signal left is breaking the connection.
        context.Abort();
        return ForwarderError.ResponseBodyUpstream;
    }

    private static async ValueTask<ForwarderError> UpgradeAsync(HttpContext context, RequestRecord record, HttpResponseMessage response)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        var target = context.Response;
        target.StatusCode = StatusCodes.Status101SwitchingProtocols;
        HeaderRules.CopyResponseHeaders(response, target, isUpgrade: true);
        var upstream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            var downstream = await upgrade.UpgradeAsync().ConfigureAwait(false);
            await using (downstream.ConfigureAwait(false))
            {
                using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                var up = PumpAsync(downstream, upstream, done.Token);
                var down = PumpAsync(upstream, downstream, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                // One side closed: stop the other pump too, then account both directions.
                await done.CancelAsync().ConfigureAwait(false);
                var sent = await up.ConfigureAwait(false);
                var received = await down.ConfigureAwait(false);
                record.BytesIn += sent;
                record.BytesOut += received;
                return ForwarderError.None;
            }
        }
    }

    private static async Task<long> PumpAsync(Stream source, Stream destination, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return total;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                await destination.FlushAsync(ct).ConfigureAwait(false);
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
        {
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
