namespace Gantry.Registry.Gc;

/// <summary>A blob (a layer, a config or a manifest body) the run would delete: nothing would reference it and it is past its grace period.</summary>
public sealed record CollectableBlob(string Digest, long Size);
