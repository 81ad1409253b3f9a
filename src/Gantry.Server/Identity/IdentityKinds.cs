namespace Gantry.Server.Identity;

/// <summary>The store kinds of the identity records.</summary>
public static class IdentityKinds
{
    public const string User = "User";
    public const string Team = "Team";
    public const string Token = "Token";
}
