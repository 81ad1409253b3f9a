namespace Gantry.Server.Bundles;

/// <summary>What the bundles directory holds (for `gantry system df`), and how much of it no app or kept release references (what a prune would free).</summary>
public sealed record BundleUsage(int Bundles, long Bytes, int UnreferencedBundles, long UnreferencedBytes);
