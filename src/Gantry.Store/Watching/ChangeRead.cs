namespace Gantry.Store.Watching;

/// <summary>What <see cref="IChangeSource.ReadAsync"/> saw in one snapshot at <see cref="Revision"/>.</summary>
/// <param name="Changes">Changes after the requested revision up to <see cref="Revision"/>; null when the log no longer reaches back.</param>
/// <param name="Resources">Current resources, when asked for.</param>
internal sealed record ChangeRead(
    long Revision,
    long CompactedThrough,
    IReadOnlyList<ResourceChange>? Changes,
    IReadOnlyList<StoredResource>? Resources);
