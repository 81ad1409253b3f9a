namespace Gantry.Model.Pipelines;

/// <summary>
/// A service's test stage, from `x-gantry: test:`: a command a push's pipeline runs in a container of the service's built image,
/// after the build and before the release; a non-zero exit stops the pipeline with no release made. Not part of the spec hash:
/// it says nothing about the running containers.
/// </summary>
public sealed record TestStageSpec
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The command in exec form (a string in the file becomes `sh -c STRING`).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>How long the command may run before it is stopped and the stage fails.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// The app's services the test needs (`services: [db]`): started from their images beside the test on a network of the
    /// run's own, reachable by their names, waited for until healthy when they declare a health check, removed after.
    /// </summary>
    public IReadOnlyList<string> Services { get; init; } = [];
}
