namespace Gantry.Docker.Images;

/// <summary>Aux payloads: <c>{"ID": "sha256:..."}</c> after a build, <c>{"Tag","Digest","Size"}</c> after a push.</summary>
public sealed record ImageProgressAux
{
    /// <summary>Built image id.</summary>
    public string? Id { get; init; }

    /// <summary>Pushed tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Pushed manifest digest.</summary>
    public string? Digest { get; init; }

    /// <summary>Pushed manifest size.</summary>
    public long? Size { get; init; }
}
