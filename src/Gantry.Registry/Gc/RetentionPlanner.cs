using System.Text.RegularExpressions;

namespace Gantry.Registry.Gc;

/// <summary>Pure retention decision: which tags of a repository a policy deletes.</summary>
public static class RetentionPlanner
{
    public static IReadOnlyList<TagRecord> TagsToDelete(RetentionPolicy policy, IReadOnlyList<TagRecord> tags)
    {
        Regex? keep = policy.KeepTagsMatching is null ? null : new Regex(policy.KeepTagsMatching, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (policy.KeepLastTags is null && keep is null)
        {
            return [];
        }

        // Newest first; ties broken by name so the plan is deterministic.
        var ordered = tags.OrderByDescending(t => t.PushedAt).ThenBy(t => t.Tag, StringComparer.Ordinal).ToList();
        var delete = new List<TagRecord>();
        for (int i = 0; i < ordered.Count; i++)
        {
            bool keptByCount = policy.KeepLastTags is null ? keep is null : i < policy.KeepLastTags.Value;
            bool keptByRegex = keep?.IsMatch(ordered[i].Tag) == true;
            if (!keptByCount && !keptByRegex)
            {
                delete.Add(ordered[i]);
            }
        }

        return delete;
    }
}
