namespace Gantry.Router.Upstream;

/// <summary>No connection could be opened to a destination (refused, unreachable, name not found, or the connect timed out):
/// nothing was sent, so the request may go elsewhere whatever its method.</summary>
public sealed class UpstreamConnectException(string message, Exception? inner = null) : IOException(message, inner);
