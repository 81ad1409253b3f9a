namespace Gantry.Model.Api.Registry;

/// <summary>
/// What a garbage-collection run started now would delete, computed without deleting (`gantry registry gc run --dry-run`):
/// tags retention deletes (`REPO:TAG`), manifests that leaves unnamed (`REPO@DIGEST`), blobs nothing would reference past
/// their grace period, the bytes those free, and the idle uploads that would expire.
/// </summary>
public sealed record GcPreviewView(IReadOnlyList<string> Tags, IReadOnlyList<string> Manifests, IReadOnlyList<GcBlobView> Blobs, long BytesFreed, int UploadsExpired);
