namespace Gantry.Model;

/// <summary>The desired state of one app: a compose project, fully resolved, deployed into one environment.</summary>
/// <remarks>
/// Produced by the compose loader (interpolation, merging, extends, include and profiles already
/// applied) and stored as-is; controllers read nothing else. Every collection is sorted by name so
/// that two loads of the same files serialise to the same bytes.
/// </remarks>
public sealed record AppSpec
{
    /// <summary>App name: lower-case letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public required string Name { get; init; }

    /// <summary>The environment the app is deployed into (test, staging, production).</summary>
    public string Environment { get; init; } = "production";

    /// <summary>
    /// The team the app belongs to, chosen when it is first deployed and kept by every later release; null (apps deployed
    /// before teams existed) is the "default" team. Not part of any service's spec hash: it never replaces a container.
    /// </summary>
    public string? Team { get; init; }

    /// <summary>The team, with null read as "default".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TeamName => Team ?? DefaultTeam;

    /// <summary>The team of apps that name none, and of the first user.</summary>
    public const string DefaultTeam = "default";

    /// <summary>The release this desired state is (1, 2, ...); 0 before releases existed.</summary>
    public long Release { get; init; }

    public IReadOnlyList<ServiceSpec> Services { get; init; } = [];

    /// <summary>Top-level networks. The loader always adds the implicit "default" network when a service uses it.</summary>
    public IReadOnlyList<NetworkSpec> Networks { get; init; } = [];

    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];

    public IReadOnlyList<FileObjectSpec> Secrets { get; init; } = [];

    public IReadOnlyList<FileObjectSpec> Configs { get; init; } = [];

    public ServiceSpec? FindService(string name)
    {
        foreach (var service in Services)
        {
            if (string.Equals(service.Name, name, StringComparison.Ordinal))
            {
                return service;
            }
        }
        return null;
    }
}
