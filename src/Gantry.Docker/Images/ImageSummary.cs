namespace Gantry.Docker.Images;

/// <summary>One row of <c>GET /images/json</c>.</summary>
public sealed record ImageSummary
{
    /// <summary>Image id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary>Digests.</summary>
    public IReadOnlyList<string>? RepoDigests { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
