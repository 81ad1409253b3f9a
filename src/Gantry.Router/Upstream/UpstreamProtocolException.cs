namespace Gantry.Router.Upstream;

/// <summary>The upstream broke HTTP/1.1: a malformed head or chunk, or a close in the middle of a message.</summary>
public sealed class UpstreamProtocolException(string message) : IOException(message);
