namespace Gantry.Router.Contracts.Routes;

/// <summary>The shape probed on each NDJSON feed line: a heartbeat is {"heartbeat":true}, anything else is a whole route table.</summary>
public sealed record FeedLine(bool Heartbeat = false);
