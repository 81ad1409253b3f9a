namespace Gantry.Model;

/// <summary>One per-process limit (compose `ulimits`): <c>nofile: 65536</c> gives soft and hard the same value.</summary>
/// <param name="Name">The limit's name as the engine knows it, such as "nofile" or "nproc".</param>
public sealed record UlimitSpec(string Name, long Soft, long Hard);
