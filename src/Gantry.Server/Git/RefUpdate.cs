namespace Gantry.Server.Git;

/// <summary>One line a pre-receive hook reads: a ref moving from one object to another (all zeros: created or deleted).</summary>
public sealed record RefUpdate(string OldId, string NewId, string Ref)
{
    public const string ZeroId = "0000000000000000000000000000000000000000";

    public const string BranchPrefix = "refs/heads/";

    public bool IsDelete => NewId == ZeroId;

    public bool IsCreate => OldId == ZeroId;

    /// <summary>The branch name for refs/heads/..., else null (tags and other refs).</summary>
    public string? Branch => Ref.StartsWith(BranchPrefix, StringComparison.Ordinal) ? Ref[BranchPrefix.Length..] : null;

    /// <summary>Parses "OLD NEW REF" lines (SHA-1 object names); null when a line is not one.</summary>
    public static IReadOnlyList<RefUpdate>? ParseLines(string text)
    {
        var updates = new List<RefUpdate>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split(' ');
            if (parts.Length != 3 || !IsObjectId(parts[0]) || !IsObjectId(parts[1]) || parts[2].Length is 0 or > 1024
                || !parts[2].StartsWith("refs/", StringComparison.Ordinal) || parts[2].Any(char.IsControl))
            {
                return null;
            }
            updates.Add(new RefUpdate(parts[0], parts[1], parts[2]));
        }
        return updates;
    }

    public static bool IsObjectId(string value) =>
        value.Length == 40 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
