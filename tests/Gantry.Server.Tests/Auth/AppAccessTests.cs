using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Auth;

/// <summary>The one app rule the API's gate and the console's actions share.</summary>
public sealed class AppAccessTests
{
    private static Principal User(params (string Team, Role Role)[] teams) =>
        new("alice", PrincipalKind.UserToken, teams.ToDictionary(t => t.Team, t => t.Role), false);

    [Fact]
    public void Check_RoleHighEnough_Allows() =>
        Assert.Null(AppAccess.Check(User(("web", Role.Deployer)), "shop", "web", Role.Deployer));

    [Fact]
    public void Check_RoleTooLow_403NamingTheRoleNeeded()
    {
        var problem = AppAccess.Check(User(("web", Role.Viewer)), "shop", "web", Role.Deployer);

        Assert.Equal(403, problem!.Status);
        Assert.Equal("this needs the deployer role in team 'web'; you are alice (viewer in web)", problem.Detail);
    }

    [Fact]
    public void Check_NoRoleInTheTeam_404AsForAMissingApp()
    {
        var problem = AppAccess.Check(User(("other", Role.Deployer)), "shop", "web", Role.Viewer);

        Assert.Equal(404, problem!.Status);
        Assert.Equal(AppAccess.NotFound("shop"), problem);
    }

    [Fact]
    public void Check_Router_Refused403() =>
        Assert.Equal(403, AppAccess.Check(Principal.Router, "shop", "web", Role.Viewer)!.Status);

    [Fact]
    public void Check_Admin_AllowedEverywhere() =>
        Assert.Null(AppAccess.Check(Principal.Admin("admin", PrincipalKind.UserToken), "shop", "web", Role.Deployer));
}
