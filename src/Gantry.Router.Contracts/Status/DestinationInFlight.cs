namespace Gantry.Router.Contracts.Status;

/// <summary>How many requests are running on one destination right now.</summary>
/// <param name="ClusterId">The cluster id from the route table.</param>
/// <param name="DestinationId">The destination id (the replica name) within that cluster.</param>
/// <param name="Count">Requests in flight, always above 0 in a report.</param>
public sealed record DestinationInFlight(string ClusterId, string DestinationId, int Count);
