using Gantry.Controllers.Apps;
using Gantry.Store;

namespace Gantry.Controllers.Tests.Apps;

public class ReconcileTriggersTests
{
    private static ResourceChange Change(ResourceChangeType type, long generation, long version, bool deleting = false, string uid = "u1") =>
        new(type, new StoredResource("App", "shop", uid, generation, version, "{}", "{}", generation,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, deleting ? DateTimeOffset.UnixEpoch : null), version);

    [Fact]
    public void IsSpecChange_StatusOnlyWrite_IsNot()
    {
        var triggers = new ReconcileTriggers();
        Assert.True(triggers.IsSpecChange(Change(ResourceChangeType.Added, 1, 10)));

        Assert.False(triggers.IsSpecChange(Change(ResourceChangeType.Modified, 1, 11)));
        Assert.False(triggers.IsSpecChange(Change(ResourceChangeType.Modified, 1, 12)));
    }

    [Fact]
    public void IsSpecChange_NewGenerationDeletionOrRecreation_Is()
    {
        var triggers = new ReconcileTriggers();
        triggers.IsSpecChange(Change(ResourceChangeType.Added, 1, 10));

        Assert.True(triggers.IsSpecChange(Change(ResourceChangeType.Modified, 2, 11)));
        Assert.True(triggers.IsSpecChange(Change(ResourceChangeType.Modified, 2, 12, deleting: true)));
        Assert.True(triggers.IsSpecChange(Change(ResourceChangeType.Deleted, 2, 13, deleting: true)));
        Assert.True(triggers.IsSpecChange(Change(ResourceChangeType.Added, 1, 14, uid: "u2")));
    }

    [Fact]
    public void IsSpecChange_SyncedMarker_IsNot() =>
        Assert.False(new ReconcileTriggers().IsSpecChange(new ResourceChange(ResourceChangeType.Synced, null, 5)));

    [Theory]
    [InlineData("start", true)]
    [InlineData("die", true)]
    [InlineData("oom", true)]
    [InlineData("destroy", true)]
    [InlineData("health_status", true)]
    [InlineData("exec_create", false)]
    [InlineData("exec_start", false)]
    [InlineData("exec_die", false)]
    [InlineData("attach", false)]
    [InlineData("resize", false)]
    public void IsObservedChange_Action_TellsWhetherItChangesWhatIsObserved(string action, bool expected) =>
        Assert.Equal(expected, ReconcileTriggers.IsObservedChange(action));
}
