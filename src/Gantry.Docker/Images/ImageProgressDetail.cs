namespace Gantry.Docker.Images;

/// <summary>Bytes done and total.</summary>
public sealed record ImageProgressDetail
{
    /// <summary>Bytes done.</summary>
    public long? Current { get; init; }

    /// <summary>Total bytes.</summary>
    public long? Total { get; init; }
}
