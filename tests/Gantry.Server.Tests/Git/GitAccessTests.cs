using Gantry.Model.Api.Identity;
using Gantry.Server.Git;
using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Git;

public sealed class GitAccessTests
{
    private static Principal User(params (string Team, Role Role)[] roles) =>
        new("alice", PrincipalKind.Password, roles.ToDictionary(r => r.Team, r => r.Role), IsAdmin: false);

    [Fact]
    public void Decide_ViewerOfTheTeam_FetchesButIsForbiddenToPush()
    {
        var viewer = User(("web", Role.Viewer));

        Assert.True(GitAccess.Decide(viewer, GitService.UploadPack, "shop", "web").IsAllowed);
        var push = GitAccess.Decide(viewer, GitService.ReceivePack, "shop", "web");
        Assert.Equal(403, push.Status);
        Assert.Contains("needs the deployer role in team 'web'", push.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DeployerOfTheTeam_Pushes()
    {
        Assert.True(GitAccess.Decide(User(("web", Role.Deployer)), GitService.ReceivePack, "shop", "web").IsAllowed);
    }

    [Fact]
    public void Decide_AnotherTeamsApp_IsNotFoundForFetchAndPush()
    {
        var other = User(("ops", Role.Deployer));

        var fetch = GitAccess.Decide(other, GitService.UploadPack, "shop", "web");
        var push = GitAccess.Decide(other, GitService.ReceivePack, "shop", "web");

        Assert.Equal(404, fetch.Status);
        Assert.Equal(404, push.Status);
        Assert.Equal("app 'shop' does not exist", push.Message);
    }

    [Fact]
    public void Decide_NewNameByADeployer_CreatesTheApp()
    {
        var decision = GitAccess.Decide(User(("web", Role.Deployer)), GitService.ReceivePack, "fresh", appTeam: null);

        Assert.True(decision.IsAllowed);
        Assert.True(decision.CreatesApp);
    }

    [Fact]
    public void Decide_NewNameByAViewerOnly_IsNotFound()
    {
        var decision = GitAccess.Decide(User(("web", Role.Viewer)), GitService.ReceivePack, "fresh", appTeam: null);

        Assert.Equal(404, decision.Status);
        Assert.Contains("needs the deployer role in a team", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FetchOfAMissingApp_IsNotFoundEvenForAnAdmin()
    {
        Assert.Equal(404, GitAccess.Decide(Principal.Admin("admin", PrincipalKind.AdminToken), GitService.UploadPack, "fresh", null).Status);
    }

    [Fact]
    public void Decide_RoutersToken_IsForbidden()
    {
        Assert.Equal(403, GitAccess.Decide(Principal.Router, GitService.UploadPack, "shop", "web").Status);
    }
}
