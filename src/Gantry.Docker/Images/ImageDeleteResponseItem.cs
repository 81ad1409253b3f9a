namespace Gantry.Docker.Images;

/// <summary>One effect of removing an image: a tag untagged or a layer/image deleted.</summary>
public sealed record ImageDeleteResponseItem
{
    /// <summary>Reference that was untagged.</summary>
    public string? Untagged { get; init; }

    /// <summary>Id that was deleted.</summary>
    public string? Deleted { get; init; }
}
