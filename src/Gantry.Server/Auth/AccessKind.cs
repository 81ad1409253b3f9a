namespace Gantry.Server.Auth;

/// <summary>Who may call an endpoint. An endpoint that names none is <see cref="Admin"/>: closed unless opened on purpose.</summary>
public enum AccessKind
{
    /// <summary>Anyone, without a token (health, sign-in).</summary>
    Public,

    /// <summary>Any signed-in user; the endpoint filters what it returns by the caller's teams.</summary>
    AnyUser,

    /// <summary>A role in the team of the app named by the route's {app}.</summary>
    App,

    /// <summary>Admins only.</summary>
    Admin,

    /// <summary>The routers (their own token) and admins.</summary>
    Router,

    /// <summary>
    /// The git remote (/git): each request authenticates itself with HTTP Basic, as git clients expect, and decides by the
    /// app's team (Git/GitAccess); the pre-receive hook's call-back presents its push's one-time credential.
    /// </summary>
    Git,
}
