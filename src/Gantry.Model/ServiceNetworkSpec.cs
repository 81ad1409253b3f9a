namespace Gantry.Model;

/// <summary>A service's membership in one of the app's networks.</summary>
/// <param name="Network">Network name as declared at top level (e.g. "default").</param>
public sealed record ServiceNetworkSpec(string Network)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Ipv4Address { get; init; }
}
