namespace Gantry.Server.Git;

/// <summary>The update that deploys (null: this push deploys nothing), the deploy branch's name, or why the push is refused.</summary>
public sealed record DeployBranchDecision(RefUpdate? Deploy, string Branch, string? Refusal)
{
    public static DeployBranchDecision Refuse(string reason) => new(null, DeployBranch.Main, reason);
}
