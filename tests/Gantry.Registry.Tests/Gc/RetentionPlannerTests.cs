using Gantry.Registry.Gc;

namespace Gantry.Registry.Tests.Gc;

public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TagRecord Tag(string name, int minutes) => new("r", name, "sha256:" + name, T0.AddMinutes(minutes));

    [Fact]
    public void TagsToDelete_KeepLastTwo_DeletesOlder()
    {
        var policy = new RetentionPolicy { RepositoryPattern = "*", KeepLastTags = 2 };
        IReadOnlyList<TagRecord> delete = RetentionPlanner.TagsToDelete(policy, [Tag("a", 1), Tag("b", 3), Tag("c", 2), Tag("d", 0)]);
        Assert.Equal(["a", "d"], delete.Select(t => t.Tag));
    }

    [Fact]
    public void TagsToDelete_RegexOnly_DeletesNonMatching()
    {
        var policy = new RetentionPolicy { RepositoryPattern = "*", KeepTagsMatching = "^v\\d+$" };
        IReadOnlyList<TagRecord> delete = RetentionPlanner.TagsToDelete(policy, [Tag("v1", 1), Tag("dev", 2), Tag("v2", 3)]);
        Assert.Equal(["dev"], delete.Select(t => t.Tag));
    }

    [Fact]
    public void TagsToDelete_NoRules_DeletesNothing()
    {
        Assert.Empty(RetentionPlanner.TagsToDelete(new RetentionPolicy { RepositoryPattern = "*" }, [Tag("a", 1)]));
    }
}
