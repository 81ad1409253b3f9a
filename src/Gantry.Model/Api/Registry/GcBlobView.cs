namespace Gantry.Model.Api.Registry;

/// <summary>A blob (layer, config or manifest body) a garbage-collection run would delete, with its size on disk.</summary>
public sealed record GcBlobView(string Digest, long Size);
