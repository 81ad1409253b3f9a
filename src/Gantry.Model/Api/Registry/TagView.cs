namespace Gantry.Model.Api.Registry;

/// <summary>A tag: the manifest it names, the image's size (manifest, config and layers, each counted once), and who pushed it when (null: before pushers were recorded).</summary>
public sealed record TagView(string Tag, string Digest, string MediaType, long Size, DateTimeOffset PushedAt, string? PushedBy);
