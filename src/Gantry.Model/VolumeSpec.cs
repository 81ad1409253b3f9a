namespace Gantry.Model;

/// <summary>A top-level named volume of the app.</summary>
/// <param name="Name">Key in the compose file.</param>
public sealed record VolumeSpec(string Name)
{
    /// <summary>Engine-side name override (compose `name:`); null means Gantry's "{app}_{name}".</summary>
    public string? EngineName { get; init; }

    public string Driver { get; init; } = "local";

    public IReadOnlyDictionary<string, string> DriverOptions { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>External volumes are used, never created or removed.</summary>
    public bool External { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
