namespace Gantry.Registry;

/// <summary>A tag and the manifest it points at, with when it was last moved (retention orders by it) and by whom (null before pushers were recorded, or anonymous).</summary>
public sealed record TagRecord(string Repository, string Tag, string Digest, DateTimeOffset PushedAt, string? PushedBy = null);
