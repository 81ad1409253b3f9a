namespace Gantry.Console.Deploys;

/// <summary>What the Deploy page sends: the files (compose files first, in -f order, then the rest), and the options `gantry deploy` takes.</summary>
/// <param name="ComposeFiles">Names among <paramref name="Files"/> that are compose files, in order.</param>
/// <param name="Team">For a new app; null lets the server choose (the user's only team).</param>
/// <param name="DryRun">The pre-deploy check only (`gantry deploy --check`).</param>
public sealed record ConsoleDeployRequest(IReadOnlyList<ConsoleFile> Files, IReadOnlyList<string> ComposeFiles, string? Team, string Environment, bool DryRun);
