namespace Gantry.Controllers.Engine;

/// <summary>What became of a request to remove one image from the engine.</summary>
public enum ImageRemoval
{
    /// <summary>The image (or its last tag) is gone.</summary>
    Removed,

    /// <summary>The engine did not have it: nothing to do.</summary>
    Missing,

    /// <summary>The engine refused: a container (running or stopped) uses it, or another repository still names it.</summary>
    InUse,
}
