using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;


namespace Gantry.Router.Observability;

/// <summary>The part of a <see cref="RouterStatusReport"/> the server acts on: a report whose meaning equals the last one
/// delivered tells the server nothing new, so the router does not send it (only a keepalive now and then).</summary>
/// <remarks>The server's <c>RouterFleet</c> gates swaps on the table version and the unready list, and drains on the version
/// and on requests still running on replicas no longer routed. So the meaning is the version, the unready and rejected
/// entries, and which destinations the router no longer sends new requests to (weight 0, or dropped by the table) still
/// have requests on. The report's time and the in-flight counts of routed destinations tick all the time under traffic
/// and decide nothing: they ride along in every report but never cause one.</remarks>
/// <param name="TableVersion">The applied table's version.</param>
/// <param name="Unready">Destination ids the router would not use now, sorted.</param>
/// <param name="Rejected">Entries left out of the applied table.</param>
/// <param name="Draining">"cluster/destination" of every unrouted destination with a request running, sorted.</param>
public sealed record RouterStatusMeaning(long TableVersion, IReadOnlyList<string> Unready, IReadOnlyList<RejectedEntry> Rejected,
    IReadOnlyList<string> Draining)
{
    /// <summary>The meaning of <paramref name="report"/>, given which (cluster, destination) pairs its table routes to (weight above 0).</summary>
    public static RouterStatusMeaning Of(RouterStatusReport report, IReadOnlySet<(string Cluster, string Destination)> routed)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(routed);
        var draining = new List<string>();
        foreach (var busy in report.InFlight)
        {
            if (busy.Count > 0 && !routed.Contains((busy.ClusterId, busy.DestinationId)))
            {
                draining.Add(busy.ClusterId + "/" + busy.DestinationId);
            }
        }

        draining.Sort(StringComparer.Ordinal);
        return new RouterStatusMeaning(report.TableVersion, report.Unready, report.Rejected, draining);
    }

    public bool Equals(RouterStatusMeaning? other) =>
        other is not null
        && TableVersion == other.TableVersion
        && Unready.SequenceEqual(other.Unready, StringComparer.Ordinal)
        && Rejected.SequenceEqual(other.Rejected)
        && Draining.SequenceEqual(other.Draining, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(TableVersion, Unready.Count, Rejected.Count, Draining.Count);
}
