namespace Gantry.Registry.Gc;

/// <summary>What one sweep removed.</summary>
public sealed record GarbageCollectionReport(int TagsDeleted, int ManifestsDeleted, int BlobsDeleted, long BytesFreed, int UploadsExpired);
