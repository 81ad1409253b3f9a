namespace Gantry.Console.Sessions;

/// <summary>What a sign-in attempt came to; the page picks its status code and message from it.</summary>
public enum SignInStatus
{
    /// <summary>The password was right: a login token was issued.</summary>
    SignedIn,

    /// <summary>Unknown user or wrong password (the two are not told apart).</summary>
    Refused,

    /// <summary>Too many failures for this address or user name: not even checked.</summary>
    LockedOut,
}
