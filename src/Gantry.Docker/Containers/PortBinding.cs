namespace Gantry.Docker.Containers;

/// <summary>One host side of a published port.</summary>
public sealed record PortBinding
{
    /// <summary>Host address to bind; null or empty for all.</summary>
    public string? HostIp { get; init; }

    /// <summary>Host port as a string; empty picks a free one.</summary>
    public string? HostPort { get; init; }
}
