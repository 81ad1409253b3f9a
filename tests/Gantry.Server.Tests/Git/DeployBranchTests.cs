using Gantry.Server.Git;

namespace Gantry.Server.Tests.Git;

public sealed class DeployBranchTests
{
    private const string A = "1111111111111111111111111111111111111111";
    private const string B = "2222222222222222222222222222222222222222";
    private static readonly string Zero = RefUpdate.ZeroId;

    private static HashSet<string> Branches(params string[] names) => new(names, StringComparer.Ordinal);

    [Fact]
    public void Choose_FirstPushOfMain_DeploysMain()
    {
        var push = new RefUpdate(Zero, A, "refs/heads/main");

        var decision = DeployBranch.Choose([push], Branches(), appExists: false);

        Assert.Same(push, decision.Deploy);
        Assert.Equal("main", decision.Branch);
        Assert.Null(decision.Refusal);
    }

    [Fact]
    public void Choose_OnlyMasterInAnEmptyRepository_DeploysMaster()
    {
        var push = new RefUpdate(Zero, A, "refs/heads/master");

        var decision = DeployBranch.Choose([push], Branches(), appExists: false);

        Assert.Same(push, decision.Deploy);
        Assert.Equal("master", decision.Branch);
    }

    [Fact]
    public void Choose_MasterWhenTheRepositoryHasMain_KeepsItWithoutDeploying()
    {
        var decision = DeployBranch.Choose([new RefUpdate(Zero, A, "refs/heads/master")], Branches("main"), appExists: true);

        Assert.Null(decision.Deploy);
        Assert.Null(decision.Refusal);
        Assert.Equal("main", decision.Branch);
    }

    [Fact]
    public void Choose_MainAndMasterTogether_DeploysMain()
    {
        var main = new RefUpdate(Zero, A, "refs/heads/main");

        var decision = DeployBranch.Choose([new RefUpdate(Zero, B, "refs/heads/master"), main], Branches(), appExists: false);

        Assert.Same(main, decision.Deploy);
    }

    [Fact]
    public void Choose_FeatureBranchOfAnExistingApp_DeploysNothing()
    {
        var decision = DeployBranch.Choose([new RefUpdate(Zero, A, "refs/heads/feature")], Branches("main"), appExists: true);

        Assert.Null(decision.Deploy);
        Assert.Null(decision.Refusal);
    }

    [Fact]
    public void Choose_FirstPushWithoutTheDeployBranch_IsRefused()
    {
        var decision = DeployBranch.Choose([new RefUpdate(Zero, A, "refs/heads/feature")], Branches(), appExists: false);

        Assert.Null(decision.Deploy);
        Assert.Contains("must include its deploy branch 'main'", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_DeletingTheDeployBranch_IsRefused()
    {
        var decision = DeployBranch.Choose([new RefUpdate(A, Zero, "refs/heads/main")], Branches("main"), appExists: true);

        Assert.Contains("deleting 'main' is refused", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLines_HookInput_GivesTheUpdates()
    {
        var updates = RefUpdate.ParseLines($"{A} {B} refs/heads/main\n{Zero} {A} refs/tags/v1\n");

        Assert.NotNull(updates);
        Assert.Equal(2, updates.Count);
        Assert.Equal("main", updates[0].Branch);
        Assert.Null(updates[1].Branch);
        Assert.True(updates[1].IsCreate);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("1111 2222 refs/heads/main")]
    [InlineData("1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 main")]
    [InlineData("1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 refs/heads/a b")]
    public void ParseLines_NotHookInput_IsNull(string text) => Assert.Null(RefUpdate.ParseLines(text));
}
