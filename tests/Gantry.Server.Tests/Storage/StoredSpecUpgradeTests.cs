using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Server.Storage;

namespace Gantry.Server.Tests.Storage;

public sealed class StoredSpecUpgradeTests : StoreFixture
{
    /// <summary>A spec as an earlier Gantry stored it: x-gantry as JSON text, the release policy resolved, no routing field.</summary>
    private static AppSpec Earlier() => new()
    {
        Name = "shop",
        Release = 1,
        Services =
        [
            new ServiceSpec
            {
                Name = "web",
                Image = "shop:1",
                Release = new ReleasePolicy { Routed = true, Strategy = ReleaseStrategy.BlueGreen },
                Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = """{"host":"shop.example.com","port":8080}""" },
            },
            new ServiceSpec { Name = "worker", Image = "shop:1", Release = new ReleasePolicy() },
        ],
    };

    [Fact]
    public async Task RunAsync_EarlierSpecs_RoutingResolvedInAppsAndReleasesWithoutChangingTheHash()
    {
        var earlier = Earlier();
        await Store.CreateAsync(AppKinds.App, "shop", StoredApp.Json(earlier));
        await new ReleaseBook(Store, Time).CreateAsync(earlier, ReleaseCauses.Deploy, "admin");
        var hashBefore = SpecHash.Compute(earlier.Services[0]);

        Assert.Equal(2, await StoredSpecUpgrade.RunAsync(Store, CancellationToken.None));

        var app = (await Store.GetAppAsync("shop"))!;
        Assert.Equal(["shop.example.com"], Assert.Single(app.Spec.Services[0].Routing!.Routes).Hosts);
        Assert.Null(app.Spec.Services[1].Routing);
        Assert.Equal(hashBefore, SpecHash.Compute(app.Spec.Services[0]));
        var release = (await new ReleaseBook(Store, Time).GetAsync("shop", 1))!;
        Assert.NotNull(release.Record.Spec.Services[0].Routing);
    }

    [Fact]
    public async Task RunAsync_UpgradedStore_WritesNothing()
    {
        await Store.CreateAsync(AppKinds.App, "shop", StoredApp.Json(Earlier()));
        await StoredSpecUpgrade.RunAsync(Store, CancellationToken.None);
        var version = (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion;

        Assert.Equal(0, await StoredSpecUpgrade.RunAsync(Store, CancellationToken.None));
        Assert.Equal(version, (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion);
    }
}
