using Gantry.Model.Api.Identity;
using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Identity;

/// <summary>A token narrows its user: to one team, to a lower role; never wider.</summary>
public sealed class PrincipalTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static UserRecord User(params TeamMembership[] teams) => new("hash", teams, Now);

    private static TokenRecord Token(Role role, string? team = null) => new("alice", "h", role, Now) { Team = team };

    [Fact]
    public void ForUser_NoToken_EveryMembershipAsItIs()
    {
        var p = Principal.ForUser("alice", User(new TeamMembership("web", Role.Deployer), new TeamMembership("ops", Role.Viewer)), PrincipalKind.Password);

        Assert.True(p.Can("web", Role.Deployer));
        Assert.True(p.Can("ops", Role.Viewer));
        Assert.False(p.Can("ops", Role.Deployer));
        Assert.Null(p.RoleIn("billing"));
        Assert.False(p.IsAdmin);
    }

    [Fact]
    public void ForUser_TokenForOneTeam_OtherTeamsGone()
    {
        var p = Principal.ForUser("alice", User(new TeamMembership("web", Role.Deployer), new TeamMembership("ops", Role.Deployer)), PrincipalKind.UserToken, Token(Role.Deployer, "ops"));

        Assert.Null(p.RoleIn("web"));
        Assert.Equal(Role.Deployer, p.RoleIn("ops"));
    }

    [Fact]
    public void ForUser_ViewerToken_CapsEveryTeam()
    {
        var p = Principal.ForUser("alice", User(new TeamMembership("web", Role.Deployer)), PrincipalKind.UserToken, Token(Role.Viewer));

        Assert.Equal(Role.Viewer, p.RoleIn("web"));
    }

    [Fact]
    public void ForUser_AdminsTokenScopedToATeam_NotServerWide()
    {
        var p = Principal.ForUser("root", User(new TeamMembership("default", Role.Admin)), PrincipalKind.UserToken, Token(Role.Admin, "web"));

        Assert.False(p.IsAdmin);
        Assert.Equal(Role.Admin, p.RoleIn("web"));
        Assert.Null(p.RoleIn("default"));
    }

    [Fact]
    public void ForUser_AdminsUnscopedAdminToken_AdminEverywhere()
    {
        var p = Principal.ForUser("root", User(new TeamMembership("default", Role.Admin)), PrincipalKind.UserToken, Token(Role.Admin));

        Assert.True(p.IsAdmin);
        Assert.True(p.Can("any-team", Role.Admin));
    }

    [Fact]
    public void ForUser_TokenForATeamTheUserLeft_GrantsNothing()
    {
        var p = Principal.ForUser("alice", User(new TeamMembership("web", Role.Deployer)), PrincipalKind.UserToken, Token(Role.Deployer, "ops"));

        Assert.Empty(p.Teams);
        Assert.Null(p.RoleIn("ops"));
    }
}
