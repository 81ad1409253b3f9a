namespace Gantry.Docker.Swarm;

/// <summary>The body of <c>POST /swarm/join</c>.</summary>
public sealed record SwarmJoinParameters
{
    /// <summary>Where this node listens for cluster traffic (used when it is or becomes a manager).</summary>
    public string ListenAddr { get; init; } = "0.0.0.0:2377";

    /// <summary>The address other nodes reach this one at; null lets the engine choose.</summary>
    public string? AdvertiseAddr { get; init; }

    /// <summary>Managers' cluster addresses (host:2377).</summary>
    public IReadOnlyList<string> RemoteAddrs { get; init; } = [];

    /// <summary>The worker or manager join token: it decides the role.</summary>
    public string JoinToken { get; init; } = "";
}
