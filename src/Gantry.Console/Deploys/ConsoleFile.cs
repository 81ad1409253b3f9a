namespace Gantry.Console.Deploys;

/// <summary>One file the user pasted or uploaded for a deploy, by its bare name (it lands at the top of the project directory).</summary>
public sealed record ConsoleFile(string Name, byte[] Content);
