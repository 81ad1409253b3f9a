namespace Gantry.Server.Storage;

/// <summary>What the retention rules would remove: release records, and the images only those releases referenced.</summary>
public sealed record RetentionPlan(IReadOnlyList<ReleaseEntry> Releases, IReadOnlyList<ImagePrune> Images)
{
    public static RetentionPlan Empty { get; } = new([], []);

    /// <summary>Every release that stays (the bundles they reference stay too).</summary>
    public IReadOnlyList<ReleaseEntry> Kept { get; init; } = [];

    /// <summary>Every image id a kept release or an app's current state references.</summary>
    public IReadOnlySet<string> KeptImageIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
