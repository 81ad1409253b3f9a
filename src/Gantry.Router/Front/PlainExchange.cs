using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Forwarder;
using Gantry.Router.Hosting;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.WebUtilities;

namespace Gantry.Router.Front;

/// <summary>
/// One plain request (<see cref="PlainRequest"/>) through the front: route, pick, forward on the upstream pool with the
/// request path's retry rules, and the response written to the client's pipe, framed by the router.
/// </summary>
/// <remarks>The same rules as <see cref="ProxyRequestHandler"/> and <see cref="HttpForwarder"/> for what it serves: the
/// header rules, retries only when nothing reached a replica (every method here is idempotent and has no body), passive
/// health, 502/503/504 with X-Request-Id, phases, metrics, the recent ring and the access log. What needs more than that
/// (a sticky split, a service woken from zero, a redirect to HTTPS, a host no route matches) is not taken from the
/// connection: <see cref="Route"/> returns null and Kestrel's path serves it.</remarks>
/// <param name="isInternal">Serves the internal entrypoint's routes (else the external one's).</param>
/// <param name="isHttps">The listener is TLS: the front reads the decrypted bytes and says https upstream.</param>
public sealed class PlainExchange(RoutingState routing, UpstreamPool pool, RequestLedger ledger, TimeProvider time,
    bool isInternal, bool isHttps, bool redirectAll, Func<int?> httpsPort)
{
    private const int ResponseChunk = 16 * 1024;

    // A chunk's size line is written before its data is read: four hex digits (ResponseChunk is 0x4000) and CRLF.
    private const int ChunkPrefix = 6;

    private static readonly byte[]?[] StatusLines = new byte[600][];
    private readonly TimeoutSourcePool _timeouts = new();
    private readonly long _frequency = time.TimestampFrequency;

    /// <summary>The route that serves <paramref name="request"/> here, or null when the request must take Kestrel's path.</summary>
    public RouteEntry? Route(PlainRequest request)
    {
        var snapshot = routing.Current;
        var route = (isInternal ? snapshot.Internal : snapshot.External).Match(request.Host, request.Path);
        if (route is null || route.Cluster.IsSticky || route.Cluster.Spec.Wake is not null
            || (!isInternal && !isHttps && (redirectAll || route.Spec.RedirectToHttps) && httpsPort() is not null))
        {
            return null;
        }

        return route;
    }

    /// <summary>Serves the request; false when the client's connection cannot carry another one.</summary>
    public async ValueTask<bool> ServeAsync(PlainRequest request, RouteEntry route, long startTs, IPAddress? remote, PipeWriter output)
    {
        var record = new RequestRecord
        {
            StartTs = startTs,
            Frequency = _frequency,
            Time = time.GetUtcNow(),
            Entrypoint = isInternal ? Entrypoints.Internal : Entrypoints.External,
            Host = request.Host,
            Method = request.Method,
            Path = request.Path,
            RouteId = route.Id,
            ClusterId = route.Cluster.Id,
        };
        var (traceParent, traceId, spanId) = TraceContext.Next(request.FieldString(request.TraceParentField));
        record.TraceId = traceId;
        var incomingId = request.FieldString(request.RequestIdField);
        record.RequestId = ProxyRequestHandler.IsAcceptableRequestId(incomingId) ? incomingId! : spanId;
        record.MatchedTs = time.GetTimestamp();
        var traffic = route.Metrics;
        traffic.Begin();
        try
        {
            return await ForwardAsync(request, record, route.Cluster, traceParent, remote, output).ConfigureAwait(false);
        }
        finally
        {
            ledger.Finish(record, traffic);
        }
    }

    private async ValueTask<bool> ForwardAsync(PlainRequest request, RequestRecord record, ClusterState cluster, string traceParent,
        IPAddress? remote, PipeWriter output)
    {
        DestinationState? failed = null;
        DestinationState? failedBefore = null;
        var retriedReused = false;
        var error = ForwarderError.None;
        for (var attempt = 1; attempt <= ProxyRequestHandler.MaxAttempts; attempt++)
        {
            var destination = cluster.Pick(time.GetTimestamp(), null, failed, failedBefore);
            if (destination is null)
            {
                if (failed is not null)
                {
                    break;
                }

                record.Outcome = RequestOutcome.NoDestination;
                return await LocalAsync(output, record, 503, request.Close).ConfigureAwait(false);
            }

            record.Attempts = attempt;
            record.DestinationId = destination.Id;
            record.Status = 0;
            destination.EnterRequest();
            destination.Metrics.Begin();
            var attemptStart = time.GetTimestamp();
            var bytesOutBefore = record.BytesOut;
            try
            {
                error = await AttemptAsync(request, record, destination, cluster, traceParent, remote, output).ConfigureAwait(false);
            }
            finally
            {
                destination.LeaveRequest();
                destination.Metrics.End(record.Status, (time.GetTimestamp() - attemptStart) * 1_000_000 / _frequency, 0, record.BytesOut - bytesOutBefore);
            }

            var upstreamFailed = error is ForwarderError.ConnectFailed or ForwarderError.RequestFailed or ForwarderError.Timeout or ForwarderError.ResponseBodyUpstream
                || record.Status >= 500;
            destination.ReportTraffic(upstreamFailed, cluster.Passive, time.GetTimestamp(), cluster.ReactivationTicks);
            if (record.HeadersTs != 0)
            {
                // A response began: it is the answer, whatever came of its body.
                break;
            }

            if (error == ForwarderError.ConnectFailed)
            {
                // Nothing reached this destination: another one may be tried.
            }
            else if (error == ForwarderError.RequestFailed && !retriedReused && ProxyRequestHandler.FailedOnReusedConnection(record))
            {
                // A kept connection failed before any response byte, and the method may be repeated: one more try elsewhere.
                retriedReused = true;
            }
            else
            {
                break;
            }

            failedBefore = failed;
            failed = destination;
            if (routing.Current.Clusters.TryGetValue(cluster.Id, out var newest))
            {
                cluster = newest;
            }
        }

        switch (error)
        {
            case ForwarderError.None:
                record.Outcome = RequestOutcome.Ok;
                return true;
            case ForwarderError.ClientAborted or ForwarderError.ResponseBodyClient:
                record.Outcome = RequestOutcome.ClientAborted;
                if (record.Status == 0)
                {
                    record.Status = 499;
                }

                return false;
            case ForwarderError.Timeout:
                record.Outcome = RequestOutcome.Timeout;
                return await LocalAsync(output, record, 504, request.Close).ConfigureAwait(false);
            case ForwarderError.ResponseBodyUpstream:
                // The status line is out (or about to be): breaking the connection is the only honest signal left.
                record.Outcome = RequestOutcome.UpstreamError;
                return false;
            default:
                record.Outcome = RequestOutcome.UpstreamError;
                return await LocalAsync(output, record, 502, request.Close).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt on one destination: the head out, the final head in, the response to the client.</summary>
    private async ValueTask<ForwarderError> AttemptAsync(PlainRequest request, RequestRecord record, DestinationState destination,
        ClusterState cluster, string traceParent, IPAddress? remote, PipeWriter output)
    {
        var endpoint = pool.EndpointOf(destination);
        using var timeout = _timeouts.Rent(CancellationToken.None, cluster.RequestTimeout);
        record.FirstWriteTs = 0;
        record.SendTs = time.GetTimestamp();
        var head = WriteRequestHead(request, record, traceParent, remote, isHttps);
        UpstreamConnection? connection = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    connection = await pool.RentAsync(endpoint, timeout.Token).ConfigureAwait(false);
                }
                catch (UpstreamConnectException ex)
                {
                    record.Error = ex.Message;
                    return attempt == 0 ? ForwarderError.ConnectFailed : ForwarderError.RequestFailed;
                }
                catch (OperationCanceledException)
                {
                    return TimedOut(record, cluster);
                }

                var reused = connection.Used;
                connection.Used = true;
                if (attempt == 0)
                {
                    record.FirstWriteTs = time.GetTimestamp();
                    record.ConnectTicks = reused ? -1 : connection.ConnectTicks;
                }

                try
                {
                    await connection.SendAsync(head.Written, timeout.Token).ConfigureAwait(false);
                    // Interim 1xx responses are dropped; a 101 to a request that did not ask to upgrade is a protocol error.
                    do
                    {
                        await connection.ReadHeadAsync(timeout.Token).ConfigureAwait(false);
                    }
                    while (!HttpForwarder.IsFinal(connection.Head.Status, isUpgrade: false));

                    break;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    if (reused && attempt == 0 && !connection.ReceivedAny && !timeout.Token.IsCancellationRequested)
                    {
                        // A kept connection the backend had closed: nothing came back, so once more on a fresh connection.
                        UpstreamPool.Close(connection);
                        connection = null;
                        continue;
                    }

                    connection.Abort();
                    if (ex is OperationCanceledException)
                    {
                        return TimedOut(record, cluster);
                    }

                    record.Error = ex.Message;
                    return ForwarderError.RequestFailed;
                }
            }

            timeout.Disarm();
            record.HeadersTs = time.GetTimestamp();
            var status = connection.Head.Status;
            record.Status = status;
            var hasBody = Http1ResponseParser.HasBody(status, request.IsHead);
            connection.BeginBody(hasBody);
            var length = hasBody ? connection.KnownLength : -1;
            var chunked = hasBody && length < 0;
            WriteResponseHead(output, connection.Head, record.RequestId, length, chunked,
                dropContentLength: length >= 0 || status == 204, request.Close);
            return await CopyBodyAsync(output, record, connection, hasBody, chunked).ConfigureAwait(false);
        }
        finally
        {
            head.Dispose();
            if (connection is not null)
            {
                pool.Return(connection);
            }
        }
    }

    private static ForwarderError TimedOut(RequestRecord record, ClusterState cluster)
    {
        record.Error = "no response headers within " + cluster.RequestTimeout.ToString();
        return ForwarderError.Timeout;
    }

    /// <summary>The upstream request head: the client's request line and fields minus hop-by-hop and router-owned ones, then the
    /// fields the router sets (as <see cref="HttpForwarder"/> writes them).</summary>
    private static RequestHeadBuffer WriteRequestHead(PlainRequest request, RequestRecord record, string traceParent, IPAddress? remote, bool isHttps)
    {
        var head = new RequestHeadBuffer(1024);
        head.Write(request.Method);
        head.Write(" "u8);
        head.Write(request.Target);
        head.Write(" HTTP/1.1\r\nHost: "u8);
        head.Write(request.Authority);
        head.Write("\r\n"u8);
        for (var i = 0; i < request.FieldCount; i++)
        {
            var name = request.FieldName(i);
            if (HeaderRules.SkipRequestHeader(name) || request.IsNamedByConnection(name))
            {
                continue;
            }

            head.Write(name);
            head.Write(": "u8);
            head.Write(request.FieldValue(i));
            head.Write("\r\n"u8);
        }

        head.Write("X-Forwarded-For: "u8);
        if (remote is not null)
        {
            head.WriteFormatted(remote);
        }

        head.Write(isHttps ? "\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: "u8 : "\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: "u8);
        head.Write(request.Authority);
        head.Write("\r\ntraceparent: "u8);
        head.Write(traceParent);
        head.Write("\r\nX-Request-Id: "u8);
        head.Write(record.RequestId);
        head.Write("\r\n\r\n"u8);
        return head;
    }

    /// <summary>The client's response head: the status line, the upstream's fields minus hop-by-hop ones, the router's framing.</summary>
    private static void WriteResponseHead(PipeWriter output, ResponseHead upstream, string requestId, long length, bool chunked,
        bool dropContentLength, bool close)
    {
        var head = new RequestHeadBuffer(1024);
        try
        {
            head.Write(StatusLine(upstream.Status));
            for (var i = 0; i < upstream.Count; i++)
            {
                var name = upstream.Names[i];
                if (HeaderRules.SkipResponseHeader(name, isUpgrade: false, upstream.ConnectionTokens)
                    || ((dropContentLength || upstream.Chunked || upstream.OtherTransferEncoding) && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                head.WriteField(name, upstream.Values[i]);
            }

            if (length >= 0)
            {
                head.Write("Content-Length: "u8);
                head.WriteFormatted(length);
                head.Write("\r\n"u8);
            }
            else if (chunked)
            {
                head.Write("Transfer-Encoding: chunked\r\n"u8);
            }

            FinishHead(ref head, requestId, close);
            output.Write(head.Written.Span);
        }
        finally
        {
            head.Dispose();
        }
    }

    private static void FinishHead(ref RequestHeadBuffer head, string requestId, bool close)
    {
        head.Write("X-Request-Id: "u8);
        head.Write(requestId);
        head.Write(close ? "\r\nConnection: close\r\n\r\n"u8 : "\r\n\r\n"u8);
    }

    /// <summary>The body as the upstream frames it, re-framed for the client (its length, or chunks); flushed per read once it is
    /// larger than one read, so memory stays bounded by a chunk however large the body.</summary>
    private static async ValueTask<ForwarderError> CopyBodyAsync(PipeWriter output, RequestRecord record, UpstreamConnection connection,
        bool hasBody, bool chunked)
    {
        var length = connection.KnownLength;
        var copied = 0L;
        while (hasBody && !connection.BodyComplete)
        {
            // A body of known length asks the pipe for what is left of it, not a whole chunk: a small body then shares the
            // head's pipe block and leaves in one send (one TLS record), instead of a second, oversized block of its own.
            var want = length >= 0 ? (int)Math.Min(ResponseChunk, length - copied) : ResponseChunk;
            var memory = output.GetMemory(chunked ? want + ChunkPrefix + 2 : want);
            int read;
            try
            {
                read = await connection.ReadBodyAsync(chunked ? memory.Slice(ChunkPrefix, want) : memory[..want], CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                record.Error = ex.Message;
                return ForwarderError.ResponseBodyUpstream;
            }

            if (read == 0)
            {
                break;
            }

            if (chunked)
            {
                WriteChunkPrefix(memory.Span, read);
                "\r\n"u8.CopyTo(memory.Span[(ChunkPrefix + read)..]);
                output.Advance(ChunkPrefix + read + 2);
            }
            else
            {
                output.Advance(read);
            }

            record.BytesOut += read;
            copied += read;
            if (!connection.BodyComplete && !await FlushedAsync(output).ConfigureAwait(false))
            {
                connection.Abort();
                return ForwarderError.ResponseBodyClient;
            }
        }

        if (chunked)
        {
            output.Write("0\r\n\r\n"u8);
        }

        return await FlushedAsync(output).ConfigureAwait(false) ? ForwarderError.None : ForwarderError.ResponseBodyClient;
    }

    private static void WriteChunkPrefix(Span<byte> destination, int size)
    {
        // Leading zeros are allowed in a chunk size (RFC 9112 §7.1: 1*HEXDIG), so the prefix has a fixed width.
        Utf8Formatter.TryFormat(size, destination, out _, new StandardFormat('X', 4));
        destination[4] = (byte)'\r';
        destination[5] = (byte)'\n';
    }

    private static async ValueTask<bool> FlushedAsync(PipeWriter output)
    {
        try
        {
            var flush = await output.FlushAsync().ConfigureAwait(false);
            return !flush.IsCompleted && !flush.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>An answer of the router's own (502, 503, 504): no body, the request id, Retry-After on a 503.</summary>
    private static async ValueTask<bool> LocalAsync(PipeWriter output, RequestRecord record, int status, bool close)
    {
        record.Status = status;
        var head = new RequestHeadBuffer(256);
        try
        {
            head.Write(StatusLine(status));
            head.Write(status == 503 ? "Retry-After: 5\r\nContent-Length: 0\r\n"u8 : "Content-Length: 0\r\n"u8);
            FinishHead(ref head, record.RequestId, close);
            output.Write(head.Written.Span);
        }
        finally
        {
            head.Dispose();
        }

        return await FlushedAsync(output).ConfigureAwait(false) && !close;
    }

    /// <summary>"HTTP/1.1 200 OK\r\n": made once per status code, with Kestrel's reason phrases.</summary>
    private static byte[] StatusLine(int status)
    {
        var cached = (uint)status < (uint)StatusLines.Length ? StatusLines[status] : null;
        if (cached is not null)
        {
            return cached;
        }

        var line = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n");
        if ((uint)status < (uint)StatusLines.Length)
        {
            StatusLines[status] = line;
        }

        return line;
    }
}
