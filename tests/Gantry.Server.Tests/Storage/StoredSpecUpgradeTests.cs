using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Server.Storage;
using Gantry.Store.Sqlite;

namespace Gantry.Server.Tests.Storage;

public sealed class StoredSpecUpgradeTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-server-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new();
    private SqliteResourceStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_directory, "gantry.db") }, _time);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

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
        await _store.CreateAsync(AppKinds.App, "shop", StoredApp.Json(earlier));
        await new ReleaseBook(_store, _time).CreateAsync(earlier, ReleaseCauses.Deploy, "admin");
        var hashBefore = SpecHash.Compute(earlier.Services[0]);

        Assert.Equal(2, await StoredSpecUpgrade.RunAsync(_store, CancellationToken.None));

        var app = (await _store.GetAppAsync("shop"))!;
        Assert.Equal(["shop.example.com"], Assert.Single(app.Spec.Services[0].Routing!.Routes).Hosts);
        Assert.Null(app.Spec.Services[1].Routing);
        Assert.Equal(hashBefore, SpecHash.Compute(app.Spec.Services[0]));
        var release = (await new ReleaseBook(_store, _time).GetAsync("shop", 1))!;
        Assert.NotNull(release.Record.Spec.Services[0].Routing);
    }

    [Fact]
    public async Task RunAsync_UpgradedStore_WritesNothing()
    {
        await _store.CreateAsync(AppKinds.App, "shop", StoredApp.Json(Earlier()));
        await StoredSpecUpgrade.RunAsync(_store, CancellationToken.None);
        var version = (await _store.GetAppAsync("shop"))!.Resource.ResourceVersion;

        Assert.Equal(0, await StoredSpecUpgrade.RunAsync(_store, CancellationToken.None));
        Assert.Equal(version, (await _store.GetAppAsync("shop"))!.Resource.ResourceVersion);
    }
}
