namespace Gantry.Cli.Api;

/// <summary>Where the API lives and the bearer token to present (null when none is configured).</summary>
public sealed record ApiConnection(Uri Server, string? Token)
{
    /// <summary>The server as users typed it, without the trailing slash, for messages.</summary>
    public string Display => Server.GetLeftPart(UriPartial.Authority);
}
