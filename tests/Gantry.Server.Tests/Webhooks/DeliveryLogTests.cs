using Gantry.Server.Webhooks;

namespace Gantry.Server.Tests.Webhooks;

/// <summary>Replayed deliveries, on a real temporary store: recorded once per app, remembered by the store.</summary>
public sealed class DeliveryLogTests : StoreFixture
{
    [Fact]
    public async Task TryRecordAsync_SameIdTwice_SecondIsAReplay_PerApp_AndAnotherLogOnTheStoreKnowsIt()
    {
        var log = new DeliveryLog(Store);

        Assert.True(await log.TryRecordAsync("shop", "d1", default));
        Assert.False(await log.TryRecordAsync("shop", "d1", default));
        Assert.True(await log.TryRecordAsync("blog", "d1", default));
        // A restarted server has a new log on the same store.
        Assert.False(await new DeliveryLog(Store).TryRecordAsync("shop", "d1", default));
    }

    [Fact]
    public async Task TryRecordAsync_OverCapacity_KeepsTheNewest()
    {
        var log = new DeliveryLog(Store);
        for (var i = 0; i <= DeliveryLog.Capacity; i++)
        {
            Assert.True(await log.TryRecordAsync("shop", $"d{i}", default));
        }

        Assert.Equal(DeliveryLog.Capacity, (await Store.ListAsync(DeliveryLog.Kind)).Count);
        Assert.True(await log.TryRecordAsync("shop", "d0", default));
        Assert.False(await log.TryRecordAsync("shop", $"d{DeliveryLog.Capacity}", default));
    }
}
