namespace Gantry.Compose.HostPaths;

/// <summary>The outcome of checking one host path against a <see cref="HostPathPolicy"/>.</summary>
internal enum HostPathVerdict
{
    InsideProject,
    Allowed,
    OutsideProject,
    DockerSocket,
    HostRoot,
    TooManyLinks,
}
