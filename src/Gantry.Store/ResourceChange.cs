namespace Gantry.Store;

/// <summary>One element of a watch stream: a committed change, or the <see cref="ResourceChangeType.Synced"/> marker.</summary>
/// <param name="Resource">The resource after the change (its last state for Deleted); null only for Synced.</param>
/// <param name="ResourceVersion">The store revision this change was committed at (for Synced: the revision the listing reflects).</param>
public sealed record ResourceChange(ResourceChangeType Type, StoredResource? Resource, long ResourceVersion);
