namespace Gantry.Model.Environments;

/// <summary>
/// What makes an environment a preview (issue 13): the branch it follows, the environment whose variables and secrets it
/// takes where it has none of its own, the one host name its routes answer on, and when the branch was last pushed (for
/// the idle limit).
/// </summary>
public sealed record PreviewSpec(string Branch, string Base, string Host, DateTimeOffset PushedAt);
