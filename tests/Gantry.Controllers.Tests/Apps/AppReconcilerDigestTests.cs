using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Status;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>On a cluster (docs/decisions/0030): the engine is told to run the digest reference, the release records it, and the spec hash stays the id's.</summary>
public class AppReconcilerDigestTests
{
    private static AppSpec Shop() => new()
    {
        Name = "shop",
        Team = "blue",
        Networks = [new NetworkSpec("default")],
        Services = [new ServiceSpec { Name = "web", Image = "web:1", Replicas = 2, Networks = [new ServiceNetworkSpec("default")] }],
    };

    [Fact]
    public async Task ReconcileAsync_ClusterDistributesImage_ReplicasRunTheDigestAndTheReleaseRecordsIt()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var asked = new List<ImageToDistribute>();
        h.Driver.Distribute = image =>
        {
            lock (asked)
            {
                asked.Add(image);
            }
            return $"10.99.0.1:7070/{image.Team}/{image.App}-{image.Service}@sha256:{new string('a', 64)}";
        };

        var release = await h.DeployAsync(Shop());
        await h.ConvergeAsync();

        var digest = $"10.99.0.1:7070/blue/shop-web@sha256:{new string('a', 64)}";
        Assert.All(h.Driver.Containers, c => Assert.Equal(digest, c.ImageId));
        Assert.Contains(asked, a => a is { App: "shop", Team: "blue", Service: "web", ImageId: "sha256:web-1", Reference: "web:1", Pinned: null } && a.Release == release);
        var state = (await h.Book.ListAsync("shop")).Single().State;
        Assert.Equal("sha256:web-1", state.ImageIds["web"]);
        Assert.Equal(digest, state.ImageDigests["web"]);
    }

    [Fact]
    public async Task ReconcileAsync_RollbackPinnedDigest_IsHandedToTheDriver()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var pinned = $"10.99.0.1:7070/blue/shop-web@sha256:{new string('b', 64)}";
        string? seen = null;
        h.Driver.Distribute = image => seen = image.Pinned ?? "pushed";
        var app = Shop();
        await h.DeployAsync(app with { Services = [app.Services[0] with { PinnedImage = "sha256:web-1", PinnedDigest = pinned }] });
        await h.ConvergeAsync();

        Assert.Equal(pinned, seen);
        Assert.All(h.Driver.Containers, c => Assert.Equal(pinned, c.ImageId));
    }

    [Fact]
    public async Task ReconcileAsync_SingleEngine_RunsTheImageIdAndRecordsNoDigest()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop());
        await h.ConvergeAsync();

        Assert.All(h.Driver.Containers, c => Assert.Equal("sha256:web-1", c.ImageId));
        Assert.Empty((await h.Book.ListAsync("shop")).Single().State.ImageDigests);
    }

    [Fact]
    public async Task ReconcileAsync_PushFails_ServiceFailedWithTheReasonAndNothingCreated()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Driver.Distribute = image => throw new EngineException($"could not push image web:1 of service {image.Service} to Gantry's registry: refused", isTransient: false);

        await h.DeployAsync(Shop());
        await h.PassAsync();

        Assert.Empty(h.Driver.Containers);
        var status = await h.StatusAsync();
        Assert.Equal(AppPhase.Failed, status!.Phase);
        Assert.Contains("could not push image web:1 of service web", status.Message, StringComparison.Ordinal);
    }
}
