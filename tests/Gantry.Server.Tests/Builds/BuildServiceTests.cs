using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Server.Builds;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Server.Tests.Builds;

/// <summary>The build step through its narrow seams: a fake engine that only builds, a real temporary store and data directory.</summary>
public sealed class BuildServiceTests : StoreFixture
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gantry-build-tests", Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private BuildService Service(BuildOnlyEngine engine, BuildOptions? options = null) =>
        new(Store, engine, options ?? new BuildOptions(), Hosting.DataDirectory.Open(_data), Time, NullLogger<BuildService>.Instance);

    private static AppSpec Spec(string app, string commit) => new()
    {
        Name = app,
        Services =
        [
            new ServiceSpec { Name = "web", Image = $"{app}/web:{commit}", Build = new BuildSpec("/src") },
            new ServiceSpec { Name = "cache", Image = "redis:7" },
        ],
    };

    private static BuildRequest Request(string app, string commit) => new(app, app + "-staging", new ReleaseSource(commit.PadRight(40, '0'), "main", "Tess <t@e>"), "tess");

    [Fact]
    public async Task RunAsync_Succeeds_RecordsTheImagesAndKeepsTheLogUnderTheLimits()
    {
        var engine = new BuildOnlyEngine();
        var service = Service(engine, new BuildOptions { Cpus = 1.5, MemoryBytes = 256L << 20 });
        var said = new List<string>();

        var result = await service.RunAsync(Request("shop", "abc"), Spec("shop", "abc"), line => { said.Add(line); return Task.CompletedTask; }, default);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(["web"], result.Images.Keys);
        var (tag, limits) = Assert.Single(engine.Builds);
        Assert.Equal("shop/web:abc", tag);
        Assert.Equal(new Controllers.Engine.BuildLimits(1.5, 256L << 20), limits);
        Assert.Equal(150_000, limits!.CpuQuotaMicroseconds);
        var view = Assert.Single(await service.ListAsync("shop", default));
        Assert.Equal(BuildStates.Succeeded, view.State);
        Assert.Equal("shop-staging", view.Deploys);
        Assert.Equal(result.Images["web"], view.Images["web"]);
        var log = await File.ReadAllTextAsync(service.LogPath("shop", 1));
        Assert.Contains("web: Step 1/1 : building shop/web:abc", log);
        Assert.Contains("gantry: build 1 succeeded", log);
        Assert.Equal(log.TrimEnd('\n').Split('\n'), said);
        Assert.Equal(log.Length, view.LogBytes);
    }

    private static AppSpec Tested(string app, string commit, TimeSpan? timeout = null) => Spec(app, commit) with
    {
        Services = Spec(app, commit).Services.Select(s => s.Name == "web"
            ? s with { Test = new Model.Pipelines.TestStageSpec { Command = ["sh", "-c", "make check"], Timeout = timeout ?? TimeSpan.FromMinutes(1) } }
            : s).ToList(),
    };

    [Fact]
    public async Task RunAsync_PassingTest_RunsInTheBuiltImageUnderTheBuildLimits()
    {
        var engine = new BuildOnlyEngine
        {
            Test = (_, output, _) =>
            {
                output.Report("41 passed");
                return Task.FromResult(0L);
            },
        };
        var service = Service(engine, new BuildOptions { Cpus = 0.5, MemoryBytes = 128L << 20 });

        var result = await service.RunAsync(Request("shop", "abc"), Tested("shop", "abc"), _ => Task.CompletedTask, default);

        Assert.True(result.Succeeded, result.Message);
        var run = Assert.Single(engine.Runs);
        Assert.Equal(result.Images["web"], run.Image);
        Assert.Equal(["sh", "-c", "make check"], run.Command);
        Assert.Equal(new Controllers.Engine.BuildLimits(0.5, 128L << 20), run.Limits);
        Assert.Equal("gantry-test-shop-1-web", run.Name);
        var log = await File.ReadAllTextAsync(service.LogPath("shop", 1));
        Assert.Contains("gantry: test stage: web: sh -c make check (time limit 1m)", log);
        Assert.Contains("web test: 41 passed", log);
        Assert.Contains("gantry: test stage: web passed", log);
        Assert.Empty(engine.Removed);
    }

    [Fact]
    public async Task RunAsync_FailingTest_FailsTheBuildNamingTheStageTheExitAndTheLastLines_AndUntagsTheImage()
    {
        var engine = new BuildOnlyEngine
        {
            Test = (_, output, _) =>
            {
                for (var i = 1; i <= 7; i++)
                {
                    output.Report($"line {i}");
                }
                return Task.FromResult(3L);
            },
        };
        var service = Service(engine);

        var result = await service.RunAsync(Request("shop", "abc"), Tested("shop", "abc"), _ => Task.CompletedTask, default);

        Assert.Equal(BuildStates.Failed, result.State);
        Assert.Equal("test stage failed: service 'web': its test exited 3; its last lines: line 3 | line 4 | line 5 | line 6 | line 7", result.Message);
        Assert.Equal(["shop/web:abc"], engine.Removed);
        Assert.Equal(BuildStates.Failed, (await service.GetAsync("shop", 1, default))!.State);
        Assert.Contains("web test: line 1", await File.ReadAllTextAsync(service.LogPath("shop", 1)));
    }

    [Fact]
    public async Task RunAsync_TestOverItsTimeLimit_FailsNamingTheLimit()
    {
        var engine = new BuildOnlyEngine
        {
            Test = async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            },
        };
        var service = Service(engine);

        var result = await service.RunAsync(Request("shop", "abc"), Tested("shop", "abc", TimeSpan.FromMilliseconds(200)), _ => Task.CompletedTask, default);

        Assert.Equal(BuildStates.Failed, result.State);
        Assert.Equal("test stage failed: service 'web': its test ran over its time limit of 200ms (x-gantry test.timeout)", result.Message);
    }

    [Fact]
    public async Task RunAsync_Queued_TellsTheNumberBeforeTheBuildRuns()
    {
        var engine = new BuildOnlyEngine { Gated = true };
        var service = Service(engine);
        var told = new TaskCompletionSource<long>();

        var running = service.RunAsync(Request("shop", "abc"), Spec("shop", "abc"), _ => Task.CompletedTask, default, queued: n =>
        {
            told.SetResult(n);
            return Task.CompletedTask;
        });

        Assert.Equal(1, await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(running.IsCompleted);
        await engine.StartedAsync("shop/web:abc");
        engine.Finish("shop/web:abc");
        Assert.True((await running).Succeeded);
    }

    [Fact]
    public async Task CancelAsync_WhileRunning_StopsTheBuildAndRecordsWhoCancelled()
    {
        var engine = new BuildOnlyEngine { Gated = true };
        var service = Service(engine);
        var running = service.RunAsync(Request("shop", "abc"), Spec("shop", "abc"), _ => Task.CompletedTask, default);
        await engine.StartedAsync("shop/web:abc");

        var cancel = await service.CancelAsync("shop", 1, "alice", default);

        Assert.Equal(Gantry.Server.Apps.ChangeOutcomeKind.Accepted, cancel.Kind);
        Assert.Equal(BuildStates.Cancelled, cancel.Response!.State);
        Assert.Equal("cancelled by alice", cancel.Response.Message);
        var result = await running;
        Assert.Equal(BuildStates.Cancelled, result.State);
        Assert.Empty(result.Images);
        var again = await service.CancelAsync("shop", 1, "alice", default);
        Assert.Equal(Gantry.Server.Apps.ChangeOutcomeKind.Conflict, again.Kind);
        Assert.Equal("build 1 of 'shop' already cancelled: there is nothing to cancel", again.Reason);
        var unknown = await service.CancelAsync("shop", 7, "alice", default);
        Assert.Equal(Gantry.Server.Apps.ChangeOutcomeKind.Missing, unknown.Kind);
        Assert.Equal("'shop' has no build 7: the builds kept are 1 to 1 ('gantry builds shop')", unknown.Reason);
    }

    [Fact]
    public async Task RunAsync_WhileAnotherBuildRuns_QueuesAtPosition1AndCanBeCancelledThere()
    {
        var engine = new BuildOnlyEngine { Gated = true };
        var service = Service(engine);
        var first = service.RunAsync(Request("shop", "aaa"), Spec("shop", "aaa"), _ => Task.CompletedTask, default);
        await engine.StartedAsync("shop/web:aaa");
        var said = new List<string>();

        var second = service.RunAsync(Request("blog", "bbb"), Spec("blog", "bbb"), line => { lock (said) { said.Add(line); } return Task.CompletedTask; }, default);
        var third = service.RunAsync(Request("wiki", "ccc"), Spec("wiki", "ccc"), _ => Task.CompletedTask, default);
        BuildView? queued = null;
        for (var i = 0; i < 200 && queued?.Position != 1; i++)
        {
            queued = (await service.ListAsync("blog", default)).SingleOrDefault();
            await Task.Delay(10);
        }

        Assert.Equal(BuildStates.Queued, queued!.State);
        Assert.Equal(1, queued.Position);
        Assert.Equal(BuildStates.Cancelled, (await service.CancelAsync("blog", 1, "bob", default)).Response!.State);
        Assert.Equal(BuildStates.Cancelled, (await second).State);
        Assert.Contains("gantry: build 1 waits for a build slot: position 1 in the queue (1 at once on this server)", said);
        Assert.Equal(1, (await service.ListAsync("wiki", default)).Single().Position);
        engine.Finish("shop/web:aaa");
        Assert.True((await first).Succeeded);
        await engine.StartedAsync("wiki/web:ccc");
        engine.Finish("wiki/web:ccc");
        Assert.True((await third).Succeeded);
    }

    [Fact]
    public async Task RunAsync_OverTheTimeLimit_FailsNamingTheLimit_AndAFailedStepNamesTheMemoryLimit()
    {
        var engine = new BuildOnlyEngine { Gated = true };
        var service = Service(engine, new BuildOptions { Timeout = TimeSpan.FromMilliseconds(200), MemoryBytes = 64L << 20 });

        var late = await service.RunAsync(Request("shop", "abc"), Spec("shop", "abc"), _ => Task.CompletedTask, default);

        Assert.Equal(BuildStates.Failed, late.State);
        Assert.Equal("stopped: the build ran over the time limit of 200ms (--build-timeout)", late.Message);
        var oom = service.RunAsync(Request("shop", "def"), Spec("shop", "def"), _ => Task.CompletedTask, default);
        await engine.StartedAsync("shop/web:def");
        engine.Finish("shop/web:def", "The command '/bin/sh -c make' returned a non-zero code: 137");
        var failed = await oom;
        Assert.Equal(BuildStates.Failed, failed.State);
        Assert.Equal("service 'web': The command '/bin/sh -c make' returned a non-zero code: 137 (137: the step was killed, most likely for going over the build memory limit of 64 MiB: raise --build-memory, or make the step use less)", failed.Message);
    }

    [Fact]
    public async Task RunAsync_BeyondTheRetention_RemovesTheOldestRecordAndLog_AndRecoverFailsWhatARestartInterrupted()
    {
        var engine = new BuildOnlyEngine();
        var service = Service(engine, new BuildOptions { Keep = 2 });
        for (var i = 0; i < 3; i++)
        {
            await service.RunAsync(Request("shop", "c" + i), Spec("shop", "c" + i), _ => Task.CompletedTask, default);
        }

        // The newest two are kept, the one that just started among them.
        Assert.Equal([3L, 2L], (await service.ListAsync("shop", default)).Select(b => b.Number));
        Assert.False(File.Exists(service.LogPath("shop", 1)));
        Assert.True(File.Exists(service.LogPath("shop", 2)));

        var gated = new BuildOnlyEngine { Gated = true };
        var before = Service(gated);
        var interrupted = before.RunAsync(Request("blog", "x"), Spec("blog", "x"), _ => Task.CompletedTask, default);
        await gated.StartedAsync("blog/web:x");
        var after = Service(new BuildOnlyEngine());

        Assert.Equal(1, await after.RecoverAsync(default));

        var view = (await after.ListAsync("blog", default)).Single();
        Assert.Equal(BuildStates.Failed, view.State);
        Assert.Equal(BuildMessages.Restarted, view.Message);
        gated.Finish("blog/web:x");
        await interrupted;
    }
}
