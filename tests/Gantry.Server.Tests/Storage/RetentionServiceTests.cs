using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Server.Tests.Storage;

public sealed class RetentionServiceTests : StoreFixture
{
    private readonly ImageOnlyEngine _engine = new();
    private ReleaseBook _book = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _book = new ReleaseBook(Store, Time);
    }

    /// <summary>Deploys `releases` releases of shop, each with its own image; the last is live, the others superseded.</summary>
    private async Task DeployAsync(int releases)
    {
        AppSpec spec = null!;
        for (var n = 1; n <= releases; n++)
        {
            spec = new AppSpec
            {
                Name = "shop",
                Services = [new ServiceSpec { Name = "web", Image = "web:1", PinnedImage = $"sha256:{n}", Environment = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["V"] = $"{n}" } }],
            };
            var record = await _book.CreateAsync(spec, ReleaseCauses.Deploy, "admin");
            spec = record.Spec;
            _engine.Images[$"sha256:{n}"] = 1_000 * n;
            var phase = n == releases ? ReleasePhases.Live : ReleasePhases.Superseded;
            await _book.UpdateStateAsync("shop", n, s => s with { Phase = phase, LiveAt = Time.GetUtcNow() });
        }
        await Store.UpsertSpecAsync(AppKinds.App, "shop", JsonSerializer.Serialize(spec, ModelJsonContext.Default.AppSpec), null);
        var status = new AppStatus { Release = releases, Services = [new ServiceStatus("web") { LiveRelease = releases, ImageId = $"sha256:{releases}" }] };
        await Store.UpdateStatusAsync(AppKinds.App, "shop", JsonSerializer.Serialize(status, ModelJsonContext.Default.AppStatus), 1);
    }

    private RetentionService Service(int keep = 3) => new(Store, _engine, new RetentionPolicy { KeepReleasesPerApp = keep }, NullLogger<RetentionService>.Instance);

    [Fact]
    public async Task PruneAsync_DryRun_ReportsWithoutRemovingAnything()
    {
        await DeployAsync(6);
        using var retention = Service();

        var report = await retention.PruneAsync(dryRun: true, CancellationToken.None);

        Assert.True(report.DryRun);
        Assert.Equal([1L, 2, 3], report.Releases.Select(r => r.Number));
        Assert.Equal(["sha256:1", "sha256:2", "sha256:3"], report.Images.Select(i => i.Id));
        Assert.All(report.Images, i => Assert.Equal(PruneOutcomes.WouldRemove, i.Outcome));
        Assert.Equal([1_000L, 2_000, 3_000], report.Images.Select(i => i.Bytes ?? 0));
        Assert.Equal(6, (await _book.ListAsync("shop")).Count);
        Assert.Empty(_engine.Removed);
    }

    [Fact]
    public async Task PruneAsync_PastRetention_DeletesReleasesAndRemovesTheirImages()
    {
        await DeployAsync(6);
        _engine.InUse.Add("sha256:2");
        using var retention = Service();

        var report = await retention.PruneAsync(dryRun: false, CancellationToken.None);

        // 4, 5, 6 are the newest (5 is also the rollback target). The image a container still uses stays.
        Assert.Equal([4L, 5, 6], (await _book.ListAsync("shop")).Select(r => r.Record.Number).Order());
        Assert.Equal(["sha256:1", "sha256:3"], _engine.Removed);
        Assert.Equal(PruneOutcomes.InUse, report.Images.Single(i => i.Id == "sha256:2").Outcome);
        Assert.True(_engine.Images.ContainsKey("sha256:4"));
    }

    [Fact]
    public async Task PruneAsync_SecondRun_FindsNothingMore()
    {
        await DeployAsync(6);
        using var retention = Service();
        await retention.PruneAsync(dryRun: false, CancellationToken.None);

        var again = await retention.PruneAsync(dryRun: false, CancellationToken.None);

        Assert.Empty(again.Releases);
        Assert.Empty(again.Images);
    }

    [Fact]
    public async Task ExecuteAsync_ReleaseGoesLive_PrunesWithoutBeingAsked()
    {
        await DeployAsync(4);
        using var retention = Service(keep: 2);
        await retention.StartAsync(CancellationToken.None);
        // The pass at start: 4 is current and 3 the rollback target, so 1 and 2 go.
        await WaitForReleasesAsync([3, 4]);

        // Release 5 is deployed and goes live, as the deploy path and the controller record it.
        var spec = (await _book.GetAsync("shop", 4))!.Record.Spec;
        var record = await _book.CreateAsync(spec with { Services = [spec.Services[0] with { PinnedImage = "sha256:5", Environment = new SortedDictionary<string, string?> { ["V"] = "5" } }] }, ReleaseCauses.Deploy, "admin");
        await Store.UpsertSpecAsync(AppKinds.App, "shop", JsonSerializer.Serialize(record.Spec, ModelJsonContext.Default.AppSpec), null);
        await _book.UpdateStateAsync("shop", 4, s => s with { Phase = ReleasePhases.Superseded });
        await _book.UpdateStateAsync("shop", 5, s => s with { Phase = ReleasePhases.Live, LiveAt = Time.GetUtcNow() });

        // Now 5 is current, 4 the rollback target: 3 goes, with its image.
        await WaitForReleasesAsync([4, 5]);
        await retention.StopAsync(CancellationToken.None);
        Assert.Equal(["sha256:1", "sha256:2", "sha256:3"], _engine.Removed.Order(StringComparer.Ordinal));
    }

    private async Task WaitForReleasesAsync(long[] expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(await _book.ListAsync("shop")).Select(r => r.Record.Number).Order().SequenceEqual(expected))
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
