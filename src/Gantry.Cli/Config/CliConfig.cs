namespace Gantry.Cli.Config;

/// <summary>What `gantry login` saves: the server to talk to and the token to present.</summary>
public sealed record CliConfig(string Server, string Token);
