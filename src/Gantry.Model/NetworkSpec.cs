namespace Gantry.Model;

/// <summary>A top-level network of the app.</summary>
/// <param name="Name">Key in the compose file ("default", "backend").</param>
public sealed record NetworkSpec(string Name)
{
    /// <summary>Engine-side name override (compose `name:`); null means Gantry's "{app}_{name}".</summary>
    public string? EngineName { get; init; }

    public string Driver { get; init; } = "bridge";

    public IReadOnlyDictionary<string, string> DriverOptions { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>External networks are used, never created or removed.</summary>
    public bool External { get; init; }

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Address pools (compose `ipam`); null lets the engine choose.</summary>
    public IpamSpec? Ipam { get; init; }
}
