namespace Gantry.Router.Observability;

/// <summary>Where a finished request goes, whichever path served it (Kestrel's or the front's): its end time, the route's
/// traffic cells, the recent-requests ring and the access log.</summary>
public sealed class RequestLedger(RecentRequests recent, AccessLogWriter? accessLog, TimeProvider time)
{
    public void Finish(RequestRecord record, TrafficMetrics traffic)
    {
        record.EndTs = time.GetTimestamp();
        traffic.End(record.Status, record.TotalMicroseconds, record.BytesIn, record.BytesOut);
        recent.Add(record);
        accessLog?.Enqueue(record);
    }
}
