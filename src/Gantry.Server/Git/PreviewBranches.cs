namespace Gantry.Server.Git;

/// <summary>
/// What a push that does not move the deploy branch does with the other branches it moves: the first one created or updated
/// gets a preview deploy; every deleted one loses its preview. Tags and other refs do nothing. Pure.
/// </summary>
public static class PreviewBranches
{
    public static (RefUpdate? Deploy, IReadOnlyList<string> Deleted) Choose(IReadOnlyList<RefUpdate> updates, string deployBranch)
    {
        var others = updates.Where(u => u.Branch is { } branch && branch != deployBranch).ToList();
        return (others.FirstOrDefault(u => !u.IsDelete), [.. others.Where(u => u.IsDelete).Select(u => u.Branch!)]);
    }
}
