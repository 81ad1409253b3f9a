namespace Gantry.Controllers.Engine;

/// <summary>
/// An image a release runs, as the manager's engine has it, to be named so that every node of a cluster pulls the same bytes
/// (docs/decisions/0030).
/// </summary>
/// <param name="ImageId">The engine's image id (sha256:...), what the spec hash and the release record hold.</param>
/// <param name="Reference">The compose file's <c>image:</c> (null for a built image without one).</param>
/// <param name="Pinned">A digest reference the release already recorded (a rollback's): used as it is, never pushed again.</param>
public sealed record ImageToDistribute(string App, string Team, string Service, long Release, string ImageId, string? Reference, string? Pinned);
