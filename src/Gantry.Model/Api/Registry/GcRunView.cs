namespace Gantry.Model.Api.Registry;

/// <summary>
/// One garbage-collection run of the registry (`gantry registry gc`): who started it (null: the 10-minute schedule), when it
/// ran, and what it removed, or its error. No <paramref name="FinishedAt"/> while it runs.
/// </summary>
public sealed record GcRunView(long Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? StartedBy,
    int TagsDeleted, int ManifestsDeleted, int BlobsDeleted, long BytesFreed, int UploadsExpired, string? Error);
