using Gantry.Docker.Containers;

namespace Gantry.Docker.Images;

/// <summary>What <c>GET /images/{name}/json</c> reports about one image.</summary>
public sealed record ImageInspectResponse
{
    /// <summary>Image id (sha256:...).</summary>
    public string Id { get; init; } = "";

    /// <summary>Tags pointing at it.</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary>Registry digests (repo@sha256:...) once pushed or pulled.</summary>
    public IReadOnlyList<string>? RepoDigests { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Total size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The default container config (health check, exposed ports, labels, env, cmd).</summary>
    public ContainerConfig? Config { get; init; }
}
