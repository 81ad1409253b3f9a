using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Forwarder;
using Gantry.Router.LoadBalancing;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Hosting;

/// <summary>The request path of an entrypoint: match a route on the current snapshot, pick a destination, forward, record.</summary>
/// <remarks>Everything it needs is resolved at construction (no DI on the hot path). Per request it allocates the record,
/// the trace/request id strings and the forwarder's request message; matching and balancing allocate nothing.</remarks>
public sealed class ProxyRequestHandler
{
    private const string RetryAfterSeconds = "5";
    private readonly RoutingState _routing;
    private readonly HttpForwarder _forwarder;
    private readonly RouterMetrics _metrics;
    private readonly RequestLedger _ledger;
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly bool _redirectAll;
    private readonly Func<int?> _httpsPort;
    private readonly WakeGate? _wake;

    public ProxyRequestHandler(RoutingState routing, HttpForwarder forwarder, RouterMetrics metrics, RequestLedger ledger,
        TimeProvider time, bool redirectAll, Func<int?> httpsPort, WakeGate? wake = null)
    {
        _wake = wake;
        _routing = routing;
        _forwarder = forwarder;
        _metrics = metrics;
        _ledger = ledger;
        _time = time;
        _frequency = time.TimestampFrequency;
        _redirectAll = redirectAll;
        _httpsPort = httpsPort;
    }

    public async Task HandleAsync(HttpContext context, bool isInternal)
    {
        var request = context.Request;
        var record = new RequestRecord
        {
            StartTs = _time.GetTimestamp(),
            Frequency = _frequency,
            Time = _time.GetUtcNow(),
            Entrypoint = isInternal ? Entrypoints.Internal : Entrypoints.External,
            Host = request.Host.Host,
            Method = request.Method,
            Path = request.Path.Value ?? "/",
        };
        var traceParent = TraceContext.Next(request.Headers.TraceParent);
        record.TraceId = traceParent.TraceId;
        var incomingId = request.Headers["X-Request-Id"];
        record.RequestId = incomingId.Count == 1 && IsAcceptableRequestId(incomingId[0]) ? incomingId[0]! : traceParent.SpanId;

        var snapshot = _routing.Current;
        // Kestrel checks the port of an HTTP/1.1 Host header but not of an HTTP/2 :authority; a request naming a port that
        // cannot exist is not routed anywhere.
        var validHost = Authority.HasValidPort(request.Host.Value);
        var route = validHost ? (isInternal ? snapshot.Internal : snapshot.External).Match(record.Host, record.Path) : null;
        record.MatchedTs = _time.GetTimestamp();
        var metrics = route?.Metrics ?? _metrics.Unrouted;
        metrics.Begin();
        try
        {
            if (!validHost || IsSmuggling(request))
            {
                Local(context, record, StatusCodes.Status400BadRequest);
            }
            else if (route is null)
            {
                _metrics.CountNoRoute();
                record.Outcome = RequestOutcome.NoRoute;
                Respond(context, record, StatusCodes.Status404NotFound);
            }
            else
            {
                record.RouteId = route.Id;
                record.ClusterId = route.Cluster.Id;
                if (!isInternal && !request.IsHttps && (_redirectAll || route.Spec.RedirectToHttps) && _httpsPort() is { } httpsPort)
                {
                    Redirect(context, record, httpsPort);
                }
                else
                {
                    await ForwardAsync(context, record, route, traceParent).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _ledger.Finish(record, metrics);
        }
    }

    private async Task ForwardAsync(HttpContext context, RequestRecord record, RouteEntry route, TraceParent traceParent)
    {
        var request = context.Request;
        var cluster = route.Cluster;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgrade is { IsUpgradableRequest: true } && request.Headers.ContainsKey("Upgrade");
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? (request.ContentLength > 0);
        ulong? stickyHash = null;
        string? setCookie = null;
        if (cluster.IsSticky)
        {
            stickyHash = StickyCookie.Resolve(request.Headers, cluster.Spec.StickyCookie!, out setCookie);
        }

        var forward = new HttpForwarder.RequestContext(RequestTarget.Of(context), traceParent, isUpgrade, hasBody, request.ContentLength, setCookie);

        DestinationState? failed = null;
        DestinationState? failedBefore = null;
        var retriedReused = false;
        var error = ForwarderError.None;
        var heldFrom = 0L;
        for (var attempt = 1; attempt <= RetryPolicy.MaxAttempts; attempt++)
        {
            var now = _time.GetTimestamp();
            var destination = cluster.Pick(now, stickyHash, failed, failedBefore);
            if (destination is null)
            {
                if (failed is not null)
                {
                    break;
                }

                if (cluster.Spec.Wake is not null && _wake is not null)
                {
                    // The service scales to zero: hold the request while it is woken, then pick from the table that has its
                    // replica. Held again after a woken replica refused connections, within the same timeout.
                    heldFrom = heldFrom == 0 ? _time.GetTimestamp() : heldFrom;
                    ClusterState? woken;
                    try
                    {
                        woken = await _wake.HoldAsync(cluster, heldFrom, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                    {
                        record.HeldTicks = Math.Max(1, _time.GetTimestamp() - heldFrom);
                        record.Outcome = RequestOutcome.ClientAborted;
                        record.Status = 499;
                        return;
                    }
                    record.HeldTicks = Math.Max(1, _time.GetTimestamp() - heldFrom);
                    if (woken is not null)
                    {
                        cluster = woken;
                        attempt--;
                        continue;
                    }
                }

                record.Outcome = RequestOutcome.NoDestination;
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                Respond(context, record, StatusCodes.Status503ServiceUnavailable);
                return;
            }

            record.Attempts = attempt;
            record.DestinationId = destination.Id;
            record.Status = 0;
            destination.EnterRequest();
            destination.Metrics.Begin();
            var attemptStart = _time.GetTimestamp();
            var bytesInBefore = record.BytesIn;
            var bytesOutBefore = record.BytesOut;
            bool bodyStarted;
            try
            {
                (error, bodyStarted) = await _forwarder.ForwardAsync(context, record, destination, cluster, forward).ConfigureAwait(false);
            }
            finally
            {
                destination.LeaveRequest();
                var end = _time.GetTimestamp();
                destination.Metrics.End(record.Status, (end - attemptStart) * 1_000_000 / _frequency,
                    record.BytesIn - bytesInBefore, record.BytesOut - bytesOutBefore);
            }

            // A replica just woken from zero refuses connections until its server listens: that is starting, not failing,
            // so it does not count towards passive ejection (which would keep it out for the whole reactivation period).
            if (!(error == ForwarderError.ConnectFailed && heldFrom != 0))
            {
                destination.ReportTraffic(RetryPolicy.UpstreamFailed(error, record.Status), cluster.Passive, _time.GetTimestamp(), cluster.ReactivationTicks,
                    RetryPolicy.Unreachable(error));
            }

            if (bodyStarted || context.Response.HasStarted)
            {
                break;
            }

            if (error == ForwarderError.ConnectFailed && heldFrom != 0 && cluster.Spec.Wake is { } wake
                && await AwaitWokenReplicaAsync(context, record, wake, heldFrom).ConfigureAwait(false))
            {
                // Held for a wake and the new replica is not listening yet: nothing reached it, so wait a moment and try again
                // (on the newest table) until the wake's timeout, instead of failing the request the wake was for.
                attempt--;
                failed = failedBefore = null;
                if (_routing.Current.Clusters.TryGetValue(cluster.Id, out var latest))
                {
                    cluster = latest;
                }
                continue;
            }
            else if (!RetryPolicy.MayTryAnother(error, record, RetryPolicy.IsIdempotent(request.Method), ref retriedReused))
            {
                // (On a kept connection the forwarder has already tried once more on a fresh connection to this destination.)
                break;
            }

            failedBefore = failed;
            failed = destination;
            // Retries follow the newest table, so a destination dropped since the request started is not tried again.
            if (_routing.Current.Clusters.TryGetValue(cluster.Id, out var newest))
            {
                cluster = newest;
            }
        }

        var (outcome, localStatus) = RetryPolicy.Conclude(error);
        record.Outcome = outcome;
        if (localStatus != 0)
        {
            Respond(context, record, localStatus);
        }
        else if (outcome == RequestOutcome.ClientAborted && record.Status == 0)
        {
            record.Status = RetryPolicy.ClientClosedRequest;
        }
    }

    /// <summary>Waits before another connection attempt to a woken replica, counting the wait as held; false once the wake's timeout is spent or the client left.</summary>
    private async Task<bool> AwaitWokenReplicaAsync(HttpContext context, RequestRecord record, WakeSpec wake, long heldFrom)
    {
        try
        {
            var waiting = await _wake!.AwaitListeningAsync(wake, heldFrom, context.RequestAborted).ConfigureAwait(false);
            record.HeldTicks = Math.Max(1, _time.GetTimestamp() - heldFrom);
            return waiting;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }
    }

    private static void Respond(HttpContext context, RequestRecord record, int status)
    {
        record.Status = status;
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.Headers["X-Request-Id"] = record.RequestId;
        response.ContentLength = 0;
    }

    private static void Local(HttpContext context, RequestRecord record, int status)
    {
        record.Outcome = RequestOutcome.Local;
        Respond(context, record, status);
    }

    private static void Redirect(HttpContext context, RequestRecord record, int httpsPort)
    {
        var request = context.Request;
        var host = httpsPort == 443 ? request.Host.Host : request.Host.Host + ":" + httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.Location = string.Concat("https://", host, request.PathBase.Value, request.Path.Value, request.QueryString.Value);
        Local(context, record, StatusCodes.Status308PermanentRedirect);
    }

    /// <summary>Both Transfer-Encoding and Content-Length (RFC 9112 §6.3: the classic smuggling vector).</summary>
    /// <remarks>Kestrel itself accepts such a request (it obeys Transfer-Encoding, closes the connection afterwards, and renames
    /// the Content-Length header to X-Content-Length), so the renamed header is how we see it; a proxy should refuse outright.</remarks>
    private static bool IsSmuggling(HttpRequest request)
    {
        if (request.ContentLength is not null || !request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return request.ContentLength is not null && request.Headers.ContainsKey("Transfer-Encoding");
        }

        return request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey("X-Content-Length");
    }

    internal static bool IsAcceptableRequestId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
