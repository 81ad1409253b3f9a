namespace Gantry.Model;

/// <summary>A published port: the container's <see cref="Target"/> reachable on the host's <see cref="Published"/> port.</summary>
/// <param name="Target">Container port.</param>
/// <param name="Published">Host port or range ("8080", "8080-8081"); null lets the engine choose.</param>
/// <param name="Protocol">"tcp" or "udp".</param>
/// <param name="HostIp">Host address to bind; null binds all.</param>
public sealed record PortSpec(int Target, string? Published = null, string Protocol = "tcp", string? HostIp = null)
{
    /// <summary>"ingress" or "host" (Swarm's modes; the local engine treats both as host).</summary>
    public string Mode { get; init; } = "ingress";
}
