namespace Gantry.Docker.Volumes;

/// <summary>The body of <c>POST /volumes/create</c>.</summary>
public sealed record VolumeCreateParameters
{
    /// <summary>Volume name; creating an existing name returns the existing volume.</summary>
    public required string Name { get; init; }

    /// <summary>Driver, <c>local</c> by default (NFS via local with type/o/device options).</summary>
    public string? Driver { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
