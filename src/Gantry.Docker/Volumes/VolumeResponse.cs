namespace Gantry.Docker.Volumes;

/// <summary>A volume as create, inspect and list report it.</summary>
public sealed record VolumeResponse
{
    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Driver.</summary>
    public string Driver { get; init; } = "";

    /// <summary>Host path of the data (local driver).</summary>
    public string? Mountpoint { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary><c>local</c> or <c>global</c>.</summary>
    public string? Scope { get; init; }
}
