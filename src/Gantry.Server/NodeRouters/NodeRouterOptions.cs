namespace Gantry.Server.NodeRouters;

/// <summary>
/// How the routers Gantry runs on every node of a Swarm reach the server and clients reach them (docs/decisions/0029):
/// `--advertise-url` (the server as the nodes reach it; without one there are no node routers) and `--node-router-port`.
/// </summary>
public sealed record NodeRouterOptions
{
    /// <summary>The server's URL as seen from the nodes (route feed and reports); null: no routers on the nodes.</summary>
    public Uri? AdvertiseUrl { get; init; }

    /// <summary>The port each node publishes to its router's HTTP listener.</summary>
    public int Port { get; init; } = 80;
}
