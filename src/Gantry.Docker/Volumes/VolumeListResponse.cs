namespace Gantry.Docker.Volumes;

/// <summary>The body of <c>GET /volumes</c>.</summary>
public sealed record VolumeListResponse
{
    /// <summary>Volumes.</summary>
    public IReadOnlyList<VolumeResponse>? Volumes { get; init; }

    /// <summary>Warnings.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
