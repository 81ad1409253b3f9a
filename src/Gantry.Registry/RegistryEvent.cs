namespace Gantry.Registry;

/// <summary>Something that changed in the registry: a manifest pushed or a manifest, tag or blob deleted.</summary>
public sealed record RegistryEvent
{
    public required string Id { get; init; }
    public required RegistryEventAction Action { get; init; }
    public required string Repository { get; init; }
    public string? Tag { get; init; }
    public required string Digest { get; init; }
    public string? MediaType { get; init; }
    public long Size { get; init; }
    public string? Actor { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
}
