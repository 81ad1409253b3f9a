namespace Gantry.Docker.Containers;

/// <summary>Log driver settings, for example <c>json-file</c> with <c>max-size</c> and <c>max-file</c>.</summary>
public sealed record LogConfig
{
    /// <summary>Driver name.</summary>
    public required string Type { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? Config { get; init; }
}
