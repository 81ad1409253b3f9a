using System.Net.Sockets;
using Gantry.Router.Clusters;
using Gantry.Router.Observability;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Forwarder;

/// <summary>Sends one request to one destination over HTTP/1.1 on the router's own connection pool and streams the response
/// back; failures come back as a <see cref="ForwarderError"/>.</summary>
/// <remarks>Hot path: no DI, no LINQ, no per-request objects beyond what Kestrel hands us and the record. The request head is
/// written into a pooled buffer and sent at once; the response head is parsed in the connection's buffer; response bodies are
/// read straight into Kestrel's pipe memory (BodyWriter.GetMemory), so each chunk is copied once, and flushed per read so memory
/// stays bounded by one chunk no matter how large the body. A body that arrived whole with its head is handed to Kestrel without
/// a flush of its own: Kestrel writes head and body together when the request ends.</remarks>
public sealed class HttpForwarder
{
    private const int ResponseChunk = 16 * 1024;
    private readonly UpstreamPool _pool;
    private readonly TimeProvider _time;
    private readonly TimeoutSourcePool _timeouts = new();

    public HttpForwarder(UpstreamPool pool, TimeProvider time)
    {
        _pool = pool;
        _time = time;
    }

    /// <summary>Per-request values computed once and shared by every attempt.</summary>
    /// <param name="Target">The request-target sent upstream (the client's own, see <see cref="RequestTarget"/>).</param>
    /// <param name="ContentLength">The client's Content-Length; null with <paramref name="HasBody"/> means the body goes chunked.</param>
    /// <param name="SetCookie">A Set-Cookie value the router adds to the response (the sticky-split cookie of a new client), or null.</param>
    public readonly record struct RequestContext(string Target, TraceParent TraceParent, bool IsUpgrade, bool HasBody, long? ContentLength = null, string? SetCookie = null);

    public async ValueTask<(ForwarderError Error, bool BodyStarted)> ForwardAsync(HttpContext context, RequestRecord record,
        DestinationState destination, ClusterState cluster, RequestContext request)
    {
        var endpoint = _pool.EndpointOf(destination);
        var clientAborted = context.RequestAborted;
        var sendsBody = request.HasBody && !request.IsUpgrade;
        using var timeout = _timeouts.Rent(clientAborted, cluster.RequestTimeout);
        record.FirstWriteTs = 0;
        record.SendTs = _time.GetTimestamp();
        var head = WriteHead(context, record, request, sendsBody);
        UpstreamConnection? connection = null;
        RequestBodySender? body = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    connection = await _pool.RentAsync(endpoint, timeout.Token).ConfigureAwait(false);
                }
                catch (UpstreamConnectException ex)
                {
                    record.Error = ex.Message;
                    // A second attempt follows a failure on a reused connection, which may have reached the backend.
                    return (attempt == 0 ? ForwarderError.ConnectFailed : ForwarderError.RequestFailed, false);
                }
                catch (OperationCanceledException)
                {
                    return (TimedOutOrAborted(record, cluster, clientAborted), false);
                }

                var reused = connection.Used;
                connection.Used = true;
                if (attempt == 0)
                {
                    record.FirstWriteTs = _time.GetTimestamp();
                    record.ConnectTicks = reused ? -1 : connection.ConnectTicks;
                }

                if (sendsBody || request.IsUpgrade)
                {
                    connection.AllowSlowReader();
                }

                try
                {
                    await connection.SendAsync(head.Written, timeout.Token).ConfigureAwait(false);
                    if (sendsBody)
                    {
                        body = RequestBodySender.Start(context.Request, connection, chunked: request.ContentLength is null, clientAborted);
                    }

                    // Interim 1xx responses (100 Continue, 103 Early Hints) are dropped; a 101 is final only for an upgrade.
                    while (true)
                    {
                        await connection.ReadHeadAsync(timeout.Token).ConfigureAwait(false);
                        if (IsFinal(connection.Head.Status, request.IsUpgrade))
                        {
                            break;
                        }
                    }

                    break;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    if (reused && attempt == 0 && !sendsBody && !connection.ReceivedAny && !timeout.Token.IsCancellationRequested)
                    {
                        // A kept connection the backend had closed (or was closing) and nothing came back: the request never got an
                        // answer, so send it once more on a fresh connection to the same destination.
                        UpstreamPool.Close(connection);
                        connection = null;
                        continue;
                    }

                    connection.Abort();
                    var bodyStarted = false;
                    if (body is not null)
                    {
                        await body.StopAsync(cancel: true).ConfigureAwait(false);
                        record.BytesIn += body.BytesSent;
                        bodyStarted = body.Started;
                        if (body.ClientMalformed && !clientAborted.IsCancellationRequested)
                        {
                            record.Error = "malformed request body: " + body.ClientError;
                            return (ForwarderError.ClientBadRequest, bodyStarted);
                        }

                        if (body.ClientFailed)
                        {
                            return (ForwarderError.ClientAborted, bodyStarted);
                        }
                    }

                    if (ex is OperationCanceledException)
                    {
                        return (TimedOutOrAborted(record, cluster, clientAborted), bodyStarted);
                    }

                    record.Error = ex.Message;
                    return (RetryPolicy.IsPeerLost(ex) ? ForwarderError.PeerLost : ForwarderError.RequestFailed, bodyStarted);
                }
            }

            timeout.Disarm();
            record.HeadersTs = _time.GetTimestamp();
            var status = connection.Head.Status;
            record.Status = status;
            if (status == StatusCodes.Status101SwitchingProtocols)
            {
                return (await UpgradeTunnel.RunAsync(context, record, connection).ConfigureAwait(false), false);
            }

            var target = context.Response;
            target.StatusCode = status;
            var hasBody = Http1ResponseParser.HasBody(status, HttpMethods.IsHead(context.Request.Method));
            connection.BeginBody(hasBody);
            // A length the router frames the body by replaces the backend's field; a HEAD or 304 keeps the backend's, which
            // describes the representation, not this message; a 204 has none.
            var setLength = hasBody && connection.KnownLength >= 0;
            CopyResponseHeaders(connection.Head, target.Headers, isUpgrade: false, dropContentLength: setLength || status == StatusCodes.Status204NoContent);
            if (setLength)
            {
                target.ContentLength = connection.KnownLength;
            }

            target.Headers["X-Request-Id"] = record.RequestId;
            if (request.SetCookie is not null)
            {
                // Appended after the copy: the backend's own cookies stay.
                target.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.SetCookie, request.SetCookie);
            }

            var error = await CopyResponseBodyAsync(context, record, connection).ConfigureAwait(false);
            if (body is not null)
            {
                // The response is over. A body still going out (the backend answered without reading it all) is stopped, and the
                // connection, holding half a request, is closed rather than reused.
                var unfinished = body.IsRunning;
                await body.StopAsync(cancel: true).ConfigureAwait(false);
                record.BytesIn += body.BytesSent;
                if (unfinished || !body.Completed)
                {
                    connection.Abort();
                }

                return (error, body.Started);
            }

            return (error, false);
        }
        finally
        {
            head.Dispose();
            if (connection is not null)
            {
                if (body is { IsRunning: true })
                {
                    connection.Abort();
                    await body.StopAsync(cancel: true).ConfigureAwait(false);
                }

                _pool.Return(connection);
            }
        }
    }

    private static ForwarderError TimedOutOrAborted(RequestRecord record, ClusterState cluster, CancellationToken clientAborted)
    {
        if (clientAborted.IsCancellationRequested)
        {
            return ForwarderError.ClientAborted;
        }

        record.Error = "no response headers within " + cluster.RequestTimeout.ToString();
        return ForwarderError.Timeout;
    }

    internal static bool IsFinal(int status, bool isUpgrade)
    {
        if (status >= 200)
        {
            return true;
        }

        if (status == StatusCodes.Status101SwitchingProtocols)
        {
            return isUpgrade ? true : throw new UpstreamProtocolException("101 Switching Protocols to a request that did not ask to upgrade");
        }

        return false;
    }

    /// <summary>The request head: request line, the client's fields minus hop-by-hop and router-owned ones, the body's framing,
    /// then the fields the router sets.</summary>
    private static RequestHeadBuffer WriteHead(HttpContext context, RequestRecord record, in RequestContext request, bool sendsBody)
    {
        var client = context.Request;
        var head = new RequestHeadBuffer(2048);
        head.Write(client.Method);
        head.Write(" "u8);
        head.Write(request.Target);
        head.Write(" HTTP/1.1\r\nHost: "u8);
        var host = client.Host.Value ?? "";
        head.Write(host);
        head.Write("\r\n"u8);
        HeaderRules.WriteRequestHeaders(client.Headers, ref head, request.IsUpgrade);
        if (request.ContentLength is { } contentLength && !request.IsUpgrade)
        {
            head.Write("Content-Length: "u8);
            head.WriteFormatted(contentLength);
            head.Write("\r\n"u8);
        }
        else if (sendsBody)
        {
            head.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        head.Write("X-Forwarded-For: "u8);
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            head.WriteFormatted(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
        }

        head.Write("\r\nX-Forwarded-Proto: "u8);
        head.Write(client.Scheme);
        head.Write("\r\nX-Forwarded-Host: "u8);
        head.Write(host);
        head.Write("\r\ntraceparent: "u8);
        request.TraceParent.WriteTo(ref head);
        head.Write("\r\nX-Request-Id: "u8);
        head.Write(record.RequestId);
        head.Write("\r\n\r\n"u8);
        return head;
    }

    /// <summary>Copies the upstream's response fields to the client's response, minus hop-by-hop ones and, when the router frames
    /// the body itself by its length (or chunks), Content-Length.</summary>
    internal static void CopyResponseHeaders(ResponseHead head, IHeaderDictionary target, bool isUpgrade, bool dropContentLength)
    {
        var names = head.Names;
        var values = head.Values;
        for (var i = 0; i < head.Count; i++)
        {
            var name = names[i];
            if (HeaderRules.SkipResponseHeader(name, isUpgrade, head.ConnectionTokens)
                || ((dropContentLength || head.Chunked || head.OtherTransferEncoding) && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            target.Append(name, values[i]);
        }
    }

    private static async ValueTask<ForwarderError> CopyResponseBodyAsync(HttpContext context, RequestRecord record, UpstreamConnection connection)
    {
        var clientAborted = context.RequestAborted;
        var writer = context.Response.BodyWriter;
        var flushed = false;
        while (!connection.BodyComplete)
        {
            int read;
            try
            {
                // 16 KiB asks: enough for most responses in one go, while staying small enough that a 100 MB body only ever
                // occupies a few chunks of pipe memory (Kestrel's pipe applies back-pressure past 64 KiB).
                var memory = writer.GetMemory(ResponseChunk);
                read = await connection.ReadBodyAsync(memory, clientAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                return Fail(context, record, ex, clientAborted.IsCancellationRequested);
            }

            if (read == 0)
            {
                break;
            }

            writer.Advance(read);
            record.BytesOut += read;
            if (connection.BodyComplete && !flushed)
            {
                // The whole body in one read (the common small response): Kestrel sends head and body together when the
                // request ends. Once something was flushed, the last piece must be flushed too: Kestrel does not send
                // bytes left unflushed behind an earlier flush until much later (seen as a 100 KB body's last 4 KiB
                // arriving seconds late).
                break;
            }

            flushed = true;

            var flush = await writer.FlushAsync(clientAborted).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                connection.Abort();
                return ForwarderError.ResponseBodyClient;
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

        record.Error = ex.Message;
        // The status line is already out: the only honest signal left is breaking the connection.
        context.Abort();
        return ForwarderError.ResponseBodyUpstream;
    }
}
