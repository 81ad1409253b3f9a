namespace Gantry.Registry.Gc;

/// <summary>A manifest retention would leave with no tag and no index naming it, so the run deletes it.</summary>
public sealed record CollectableManifest(string Repository, string Digest);
