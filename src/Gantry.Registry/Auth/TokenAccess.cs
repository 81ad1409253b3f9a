namespace Gantry.Registry.Auth;

/// <summary>One access entry of a registry token, as in the Docker token spec: type "repository", a name, granted actions.</summary>
public sealed record TokenAccess(string Type, string Name, string[] Actions);
