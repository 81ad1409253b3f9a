using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Forwarder;
using Gantry.Router.Hosting;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Transport;
using Gantry.Router.Upstream;

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
    private readonly TimeoutBuckets _timeouts = new(time);
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
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
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
        var traceParent = TraceContext.Next(request.FieldString(request.TraceParentField));
        record.TraceId = traceParent.TraceId;
        var incomingId = request.FieldString(request.RequestIdField);
        record.RequestId = ProxyRequestHandler.IsAcceptableRequestId(incomingId) ? incomingId! : traceParent.SpanId;
        record.MatchedTs = time.GetTimestamp();
        var traffic = route.Metrics;
        traffic.Begin();
        try
        {
            // The retry loop is here, not in a method of its own: one async frame fewer per request.
            var cluster = route.Cluster;
            DestinationState? failed = null;
            DestinationState? failedBefore = null;
            var retriedReused = false;
            var error = ForwarderError.None;
            for (var attempt = 1; attempt <= RetryPolicy.MaxAttempts; attempt++)
            {
                var destination = cluster.Pick(time.GetTimestamp(), null, failed, failedBefore);
                if (destination is null)
                {
                    if (failed is not null)
                    {
                        break;
                    }

                    record.Outcome = RequestOutcome.NoDestination;
                    return await PlainResponse.LocalAsync(output, record, 503, request.Close).ConfigureAwait(false);
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

                destination.ReportTraffic(RetryPolicy.UpstreamFailed(error, record.Status), cluster.Passive, time.GetTimestamp(), cluster.ReactivationTicks,
                    RetryPolicy.Unreachable(error));
                // A response began: it is the answer, whatever came of its body. The front's methods are all idempotent.
                if (record.HeadersTs != 0 || !RetryPolicy.MayTryAnother(error, record, idempotent: true, ref retriedReused))
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

            var (outcome, localStatus) = RetryPolicy.Conclude(error);
            record.Outcome = outcome;
            if (localStatus != 0)
            {
                return await PlainResponse.LocalAsync(output, record, localStatus, request.Close).ConfigureAwait(false);
            }

            if (outcome == RequestOutcome.ClientAborted && record.Status == 0)
            {
                record.Status = RetryPolicy.ClientClosedRequest;
            }

            return error == ForwarderError.None;
        }
        finally
        {
            ledger.Finish(record, traffic);
        }
    }

    /// <summary>One attempt on one destination: the head out, the final head in, the response to the client.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ForwarderError> AttemptAsync(PlainRequest request, RequestRecord record, DestinationState destination,
        ClusterState cluster, TraceParent traceParent, IPAddress? remote, PipeWriter output)
    {
        var endpoint = pool.EndpointOf(destination);
        // Response headers within the cluster's timeout; the body may stream for as long as it takes (no token past the head).
        var timeout = _timeouts.TokenFor(cluster.RequestTimeout);
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
                    connection = await pool.RentAsync(endpoint, timeout).ConfigureAwait(false);
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
                    await connection.SendAsync(head.Written, timeout).ConfigureAwait(false);
                    // Interim 1xx responses are dropped; a 101 to a request that did not ask to upgrade is a protocol error.
                    // The socket's receive is awaited here, not in ReadHeadAsync: one async frame fewer per request.
                    do
                    {
                        while (!connection.TryTakeHead())
                        {
                            connection.HeadReceived(await connection.ReceiveHeadAsync(timeout).ConfigureAwait(false));
                        }
                    }
                    while (!HttpForwarder.IsFinal(connection.Head.Status, isUpgrade: false));

                    break;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    if (reused && attempt == 0 && !connection.ReceivedAny && !timeout.IsCancellationRequested)
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
                    return RetryPolicy.IsPeerLost(ex) ? ForwarderError.PeerLost : ForwarderError.RequestFailed;
                }
            }

            record.HeadersTs = time.GetTimestamp();
            var status = connection.Head.Status;
            record.Status = status;
            var hasBody = Http1ResponseParser.HasBody(status, request.IsHead);
            connection.BeginBody(hasBody);
            var length = hasBody ? connection.KnownLength : -1;
            var chunked = hasBody && length < 0;
            PlainResponse.WriteHead(output, connection.Head, record.RequestId, length, chunked,
                dropContentLength: length >= 0 || status == 204, request.Close);
            return await PlainResponse.CopyBodyAsync(output, record, connection, hasBody, chunked).ConfigureAwait(false);
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
    private static RequestHeadBuffer WriteRequestHead(PlainRequest request, RequestRecord record, TraceParent traceParent, IPAddress? remote, bool isHttps)
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
        traceParent.WriteTo(ref head);
        head.Write("\r\nX-Request-Id: "u8);
        head.Write(record.RequestId);
        head.Write("\r\n\r\n"u8);
        return head;
    }
}
