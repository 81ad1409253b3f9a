using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Status;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Metrics;
using Gantry.Server.Releases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Server.Tests.Metrics;

/// <summary>The sampler's shell through its narrow seams: a real store and watch, a fake engine, a clock moved by hand.</summary>
public sealed class MetricsSamplerTests : StoreFixture
{
    private static readonly TimeSpan Pass = MetricsSampler.Interval;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-sampler-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly RequestTally _requests = new();
    private CounterOnlyEngine _engine = null!;
    private MetricsStore _metrics = null!;
    private MetricsSampler _sampler = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _engine = new CounterOnlyEngine(_clock);
        _metrics = new MetricsStore(new MetricsOptions { Directory = _directory }, _clock);
        _sampler = new MetricsSampler(Store, _engine, _metrics, _requests, new RouterFleet(_clock), new SamplerPasses(), _clock, NullLogger<MetricsSampler>.Instance);
    }

    public override async Task DisposeAsync()
    {
        await _sampler.StopAsync(CancellationToken.None);
        _sampler.Dispose();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
        await base.DisposeAsync();
    }

    private static AppStatus Running(string state = "running") => new()
    {
        Phase = AppPhase.Running,
        Services =
        [
            new ServiceStatus("web")
            {
                Replicas = [new ReplicaStatus("shop-web-1-abc", "web", 1) { ContainerId = "c1", State = state, NanoCpus = 500_000_000, Traffic = "live" }],
            },
        ],
    };

    private async Task DeployAsync(AppStatus status)
    {
        await Store.CreateAsync(AppKinds.App, "shop", "{}");
        await Store.UpdateStatusAsync(AppKinds.App, "shop", StoredApp.Json(status), 1);
    }

    /// <summary>Moves the clock a pass at a time (the sampler waits on it) until <paramref name="done"/>, within 20 s of real time.</summary>
    private async Task<bool> PassUntilAsync(Func<bool> done, int maxPasses = 30)
    {
        for (var i = 0; i < maxPasses && !done(); i++)
        {
            _clock.Advance(Pass);
            await Task.Delay(50);
        }
        return done();
    }

    private Dictionary<string, MetricSeriesPoints> Series() =>
        _metrics.Query("shop", null, _engine.Since.AddHours(-1), Pass).ToDictionary(s => s.Key.Metric);

    [Fact]
    public async Task ExecuteAsync_NoApps_NeverCallsTheEngine()
    {
        await _sampler.StartAsync(CancellationToken.None);

        await PassUntilAsync(() => false, maxPasses: 12);

        Assert.Equal(0, _engine.Reads);
        Assert.Empty(Series());
    }

    [Fact]
    public async Task ExecuteAsync_RunningReplica_CpuMemoryNetworkAndRequestsRecorded()
    {
        await DeployAsync(Running());
        await _sampler.StartAsync(CancellationToken.None);
        Assert.True(await PassUntilAsync(() => _engine.Reads >= 1));
        _requests.Add([new RequestReport { App = "shop", Service = "web", Status = 200, TotalMicroseconds = 4_000 }]);

        Assert.True(await PassUntilAsync(() => Series().ContainsKey(MetricNames.Cpu)), $"no CPU point after {_engine.Reads} reads");

        var series = Series();
        // A steady quarter of a core under a half-core limit.
        Assert.Equal(0.5, series[MetricNames.Cpu].Points[^1].Last, precision: 6);
        Assert.Equal(0.25, series[MetricNames.Memory].Points[^1].Last);
        // 100 B/s between two reads a pass or more apart (a pass is missed when the clock moves before the sampler waits on it).
        var received = series[MetricNames.NetworkRxBytes].Points[^1].Last;
        Assert.True(received > 0 && received % 1_000 == 0, $"{received} bytes received between two reads");
        Assert.Equal(1, series[MetricNames.Requests2xx].Points.Sum(p => p.Sum));
        Assert.Equal(4, series[MetricNames.LatencyP50].Points.Single().Last);
        Assert.Equal(new SeriesKey("shop", "web", "shop-web-1-abc", MetricNames.Cpu), series[MetricNames.Cpu].Key);
    }

    [Fact]
    public async Task ExecuteAsync_AppRemoved_EngineNoLongerCalled()
    {
        await DeployAsync(Running());
        await _sampler.StartAsync(CancellationToken.None);
        Assert.True(await PassUntilAsync(() => _engine.Reads >= 2));

        await Store.DeleteAsync(AppKinds.App, "shop");
        await PassUntilAsync(() => false, maxPasses: 3);
        var reads = _engine.Reads;
        await PassUntilAsync(() => false, maxPasses: 12);

        Assert.Equal(reads, _engine.Reads);
    }

    [Fact]
    public async Task ExecuteAsync_IdleReplica_ReadOncePerIdleInterval()
    {
        _engine.Cores = 0.001;
        await DeployAsync(Running());
        await _sampler.StartAsync(CancellationToken.None);
        // Two reads find it idle.
        Assert.True(await PassUntilAsync(() => _engine.Reads >= 2));
        var reads = _engine.Reads;

        await PassUntilAsync(() => false, maxPasses: 12);

        // Twelve passes are two idle intervals: one or two reads (the pass the count started at may have been one), not twelve.
        Assert.InRange(_engine.Reads - reads, 1, 3);
    }

    [Fact]
    public async Task ExecuteAsync_BusyReplica_ReadEveryPass()
    {
        await DeployAsync(Running());
        await _sampler.StartAsync(CancellationToken.None);
        Assert.True(await PassUntilAsync(() => _engine.Reads >= 2));
        var reads = _engine.Reads;

        await PassUntilAsync(() => false, maxPasses: 6);

        Assert.InRange(_engine.Reads - reads, 4, 6);
    }

    [Fact]
    public async Task ExecuteAsync_ReplicaNotRunning_NotRead()
    {
        await DeployAsync(Running(state: "exited"));
        await _sampler.StartAsync(CancellationToken.None);

        await PassUntilAsync(() => false, maxPasses: 6);

        Assert.Equal(0, _engine.Reads);
    }

    [Theory]
    [InlineData(0, 5_000)]
    [InlineData(4_999, 1)]
    [InlineData(5_000, 10_000)]
    [InlineData(7_500, 7_500)]
    public void UntilNextPass_MiddleOfTheNextSlot(int millisecondsIntoSlot, int expected)
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 10, TimeSpan.Zero).AddMilliseconds(millisecondsIntoSlot);

        Assert.Equal(TimeSpan.FromMilliseconds(expected), MetricsSampler.UntilNextPass(now));
    }
}
