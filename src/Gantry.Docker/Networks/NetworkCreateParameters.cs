namespace Gantry.Docker.Networks;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateParameters
{
    /// <summary>Network name (unique; the create fails with 409 on a duplicate).</summary>
    public required string Name { get; init; }

    /// <summary><c>bridge</c> (default) or <c>overlay</c>.</summary>
    public string? Driver { get; init; }

    /// <summary>No route to the outside world.</summary>
    public bool? Internal { get; init; }

    /// <summary>Standalone containers may join an overlay network.</summary>
    public bool? Attachable { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Address pools; null lets the daemon choose a subnet.</summary>
    public NetworkIpam? IPAM { get; init; }

    /// <summary>Refuse a duplicate name (the daemon's default since 1.44; sent for older daemons).</summary>
    public bool CheckDuplicate { get; init; } = true;
}
