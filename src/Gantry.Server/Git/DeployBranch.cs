namespace Gantry.Server.Git;

/// <summary>
/// Which update of a push deploys: the one to `main`, or to `master` when the repository has no `main` and the push does
/// not create one. Pushes of other branches and tags are kept and deploy nothing. Pure: the refs in, a decision out.
/// </summary>
public static class DeployBranch
{
    public const string Main = "main";

    public const string Master = "master";

    /// <param name="updates">What the push asks for.</param>
    /// <param name="branches">The repository's branches before the push.</param>
    /// <param name="appExists">False for the first push to a new name: that push must create the app.</param>
    public static DeployBranchDecision Choose(IReadOnlyList<RefUpdate> updates, IReadOnlySet<string> branches, bool appExists)
    {
        var main = updates.FirstOrDefault(u => u.Branch == Main);
        var master = updates.FirstOrDefault(u => u.Branch == Master);
        var branch = branches.Contains(Main) || main is not null && !main.IsDelete ? Main
            : branches.Contains(Master) || master is not null ? Master
            : Main;
        var update = branch == Main ? main : master;
        if (update is { IsDelete: true })
        {
            return DeployBranchDecision.Refuse($"deleting '{branch}' is refused: it is the branch the app deploys from (remove the app with 'gantry rm' instead)");
        }
        if (update is null && !appExists)
        {
            return DeployBranchDecision.Refuse($"the first push to a new app must include its deploy branch '{Main}' (or '{Master}'): git push gantry {Main}");
        }
        return new DeployBranchDecision(update, branch, null);
    }
}
