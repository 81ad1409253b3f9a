namespace Gantry.Registry.Gc;

/// <summary>A tag a retention rule would delete, and the manifest it names.</summary>
public sealed record CollectableTag(string Repository, string Tag, string Digest);
