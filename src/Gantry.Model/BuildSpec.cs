namespace Gantry.Model;

/// <summary>How to build a service's image from a local context.</summary>
/// <param name="Context">Absolute path of the build context directory.</param>
/// <param name="Dockerfile">Dockerfile path relative to the context ("Dockerfile" by default).</param>
public sealed record BuildSpec(string Context, string Dockerfile = "Dockerfile")
{
    public IReadOnlyDictionary<string, string?> Args { get; init; } = new SortedDictionary<string, string?>(StringComparer.Ordinal);

    public string? Target { get; init; }
}
