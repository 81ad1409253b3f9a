namespace Gantry.Server.Identity;

/// <summary>How the caller proved who it is.</summary>
public enum PrincipalKind
{
    /// <summary>The admin token in the data directory (the user "admin").</summary>
    AdminToken,

    /// <summary>A user's own API token.</summary>
    UserToken,

    /// <summary>A user name and password (sign-in, `docker login`).</summary>
    Password,

    /// <summary>The routers' token: the route feed and the routers' reports, nothing else.</summary>
    Router,
}
