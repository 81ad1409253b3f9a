namespace Gantry.Server.Bundles;

/// <summary>Why a bundle was refused: the API answers 422 for what it holds and 413 for how much.</summary>
public enum BundleProblem
{
    /// <summary>Not a tar.gz archive.</summary>
    Malformed,

    /// <summary>An entry that would write or point outside the bundle, or a kind of file a project cannot hold.</summary>
    Unsafe,

    /// <summary>Over one of the <see cref="BundleLimits"/> (or the compressed size).</summary>
    TooLarge,
}
