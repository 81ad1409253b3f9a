using System.Diagnostics;
using System.Globalization;
using Gantry.LoadGen;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>
/// Starts a private server and router, deploys examples/hello's web as v1, puts constant load on
/// it through the router, then deploys, rolls back, scales and restarts the server while measuring
/// every request; removes everything it started however it ends.
/// </summary>
public sealed class Scenario(BenchOptions options, TextWriter output)
{
    public const string MarkerPattern = @"version=(v\d+)";
    public const string SteadyPhase = "steady";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<StepRecord> _steps = [];
    private readonly int _serverPort = Net.FreePort();
    private readonly int _routerPort = Net.FreePort();
    private GantryProcess? _server;
    private GantryProcess? _router;
    private LoadRun? _load;
    private GantryCli? _cli;

    private Uri ServerUrl => new($"http://127.0.0.1:{_serverPort}/");

    private string DataDirectory => Path.Combine(options.WorkDirectory, "data");

    private GantryCli Cli => _cli ??= new GantryCli(options.GantryBinary, options.WorkDirectory, () => ServerUrl,
        () => File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim());

    public async Task<BenchResult> RunAsync(CancellationToken ct)
    {
        string? aborted = null;
        LoadReport? report = null;
        try
        {
            await StartServerAsync(ct).ConfigureAwait(false);
            await StartRouterAsync(ct).ConfigureAwait(false);
            var first = await DeployAsync("v1", ct).ConfigureAwait(false);
            if (first.ExitCode != 0)
            {
                throw new BenchAbortedException($"the first deploy (v1) failed: {first.LastLine}; see {Path.Combine(options.WorkDirectory, "cli.log")}");
            }
            Log($"deployed {options.App} v1 in {first.Elapsed.TotalSeconds:0.0} s; waiting for the route {options.Host}");
            var routed = await Net.WaitForAsync(new Uri($"http://127.0.0.1:{_routerPort}/"), options.Host,
                body => body.Contains("version=v1", StringComparison.Ordinal), TimeSpan.FromSeconds(60), null, ct).ConfigureAwait(false);
            if (!routed)
            {
                throw new BenchAbortedException($"the router never answered {options.Host} with version=v1 within 60 s; see {_router!.LogFile}");
            }

            _load = LoadRunner.Start(new LoadOptions
            {
                Url = new Uri($"http://127.0.0.1:{_routerPort}/"),
                Host = options.Host,
                Concurrency = options.Concurrency,
                MarkerPattern = MarkerPattern,
                Timeout = TimeSpan.FromSeconds(10),
                InitialPhase = SteadyPhase,
            });
            Log($"load: {options.Concurrency} connections through the router; steady for {options.Steady.TotalSeconds:0} s");
            await Task.Delay(options.Steady, ct).ConfigureAwait(false);

            var current = "v1";
            var rollbacks = 0;
            var restartAfter = Math.Max(1, options.Rounds / 2);
            for (var round = 1; round <= options.Rounds; round++)
            {
                // Versions follow what the traffic shows, not what the bench asked for: the server may
                // have rolled a release back by itself (automatic rollback), and the next deploy must
                // still change the version, and a rollback returns to the release before the live one.
                current = ObservedVersion(current);
                await DeployStepAsync(round, Other(current), ct).ConfigureAwait(false);
                // Rollbacks spread evenly over the rounds: with 20 rounds and 10 rollbacks, after every second deploy.
                if (rollbacks < options.Rollbacks && round * options.Rollbacks / options.Rounds > rollbacks)
                {
                    rollbacks++;
                    current = ObservedVersion(current);
                    await RollbackStepAsync(rollbacks, Other(current), ct).ConfigureAwait(false);
                }
                if (round == restartAfter)
                {
                    await RestartServerStepAsync(ct).ConfigureAwait(false);
                }
            }
            await ScaleStepAsync(5, ObservedVersion(current), ct).ConfigureAwait(false);
            await ScaleStepAsync(2, ObservedVersion(current), ct).ConfigureAwait(false);

            Log($"steady for {options.Steady.TotalSeconds:0} s, then stopping the load");
            await Task.Delay(options.Steady, ct).ConfigureAwait(false);
        }
        catch (BenchAbortedException e)
        {
            aborted = e.Message;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            aborted = "interrupted";
        }
        finally
        {
            if (_load is not null)
            {
                await _load.StopAsync().ConfigureAwait(false);
                report = _load.Report();
            }
            await CleanupAsync().ConfigureAwait(false);
        }
        return new BenchResult(report, _steps, aborted) { AutomaticRollbacks = AutomaticRollbacks() };
    }

    private async Task<StepRecord> DeployStepAsync(int round, string target, CancellationToken ct)
    {
        var label = $"deploy {round}/{options.Rounds}";
        var from = _load!.Mark(label).Time;
        var result = await DeployAsync(target, ct).ConfigureAwait(false);
        _load.Mark(SteadyPhase);
        var step = await MeasureAsync(new StepRecord(StepKind.Deploy, $"{label} -> {target}", result.ExitCode == 0, result.Elapsed.TotalSeconds)
        {
            ExpectedVersion = target,
            Note = result.ExitCode == 0 ? null : $"exit {result.ExitCode}: {result.LastLine}",
        }, from, ct).ConfigureAwait(false);
        return Record(step);
    }

    private async Task<StepRecord> RollbackStepAsync(int number, string expected, CancellationToken ct)
    {
        var label = $"rollback {number}/{options.Rollbacks}";
        var from = _load!.Mark(label).Time;
        // The wall-clock start, to line up with the server's and router's logs (where the time of a rollback goes).
        Log(string.Create(CultureInfo.InvariantCulture, $"{label}: invoking gantry rollback at {from.UtcDateTime:HH:mm:ss.fff}Z"));
        var result = await Cli.RunAsync(["rollback", options.App, "--timeout", "3m"], null, ct).ConfigureAwait(false);
        _load.Mark(SteadyPhase);
        if (result.UnknownVerb("rollback"))
        {
            return Record(new StepRecord(StepKind.Rollback, label, false, result.Elapsed.TotalSeconds)
            {
                Skipped = true,
                Note = "skipped: this gantry has no `rollback` verb yet",
            });
        }
        var step = await MeasureAsync(new StepRecord(StepKind.Rollback, $"{label} -> {expected}", result.ExitCode == 0, result.Elapsed.TotalSeconds)
        {
            ExpectedVersion = expected,
            // The CLI says whether the old release was still warm (a route swap) or had to be redeployed.
            Note = result.ExitCode == 0 ? result.Line("warm") : $"exit {result.ExitCode}: {result.LastLine}",
        }, from, ct).ConfigureAwait(false);
        return Record(step);
    }

    private async Task ScaleStepAsync(int replicas, string current, CancellationToken ct)
    {
        var label = $"scale web={replicas}";
        var from = _load!.Mark(label).Time;
        var result = await Cli.RunAsync(["scale", options.App, $"web={replicas}", "--timeout", "3m"], null, ct).ConfigureAwait(false);
        _load.Mark(SteadyPhase);
        Record(await MeasureAsync(new StepRecord(StepKind.Scale, label, result.ExitCode == 0, result.Elapsed.TotalSeconds)
        {
            ExpectedVersion = current,
            Note = result.ExitCode == 0 ? null : $"exit {result.ExitCode}: {result.LastLine}",
        }, from, ct).ConfigureAwait(false));
    }

    private async Task RestartServerStepAsync(CancellationToken ct)
    {
        _load!.Mark("server restart");
        var watch = Stopwatch.StartNew();
        var graceful = await _server!.TerminateAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var down = watch.Elapsed;
        _server.Dispose();
        _server = null;
        var healthy = await StartServerCoreAsync(ct).ConfigureAwait(false);
        _load.Mark(SteadyPhase);
        var note = $"stopped in {down.TotalSeconds:0.0} s{(graceful ? "" : " (did not exit on SIGTERM within 30 s: killed)")}";
        Record(new StepRecord(StepKind.ServerRestart, "server restart (SIGTERM, start, /healthz)", graceful && healthy, watch.Elapsed.TotalSeconds)
        {
            Note = healthy ? note : note + "; did not become healthy again: " + _server?.Tail(5),
        });
        if (!healthy)
        {
            throw new BenchAbortedException("the server did not come back after the restart");
        }
        await Task.Delay(options.Settle, ct).ConfigureAwait(false);
    }

    /// <summary>Lets the load run for the settle time, then measures when all traffic carried the step's version.</summary>
    private async Task<StepRecord> MeasureAsync(StepRecord step, DateTimeOffset from, CancellationToken ct)
    {
        await Task.Delay(options.Settle, ct).ConfigureAwait(false);
        var snapshot = _load!.Snapshot();
        return step with { SwitchSeconds = snapshot.TimeUntilAllMarked(from, step.ExpectedVersion!, snapshot.Ended) };
    }

    private StepRecord Record(StepRecord step)
    {
        _steps.Add(step);
        var traffic = step.ExpectedVersion is null ? "" : step.SwitchSeconds is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"; all traffic on {step.ExpectedVersion} after {s:0.000} s")
            : $"; traffic NOT all on {step.ExpectedVersion}";
        var state = step.Skipped ? "skipped" : step.Succeeded ? "ok" : "FAILED";
        Log($"{step.Label}: {state} in {step.Seconds:0.0} s{(step.Skipped ? "" : traffic)}{(step.Note is null ? "" : " (" + step.Note + ")")}; failed requests so far: {_load?.Snapshot().Failed}");
        return step;
    }

    private Task<CliResult> DeployAsync(string version, CancellationToken ct)
    {
        var args = new List<string> { "deploy" };
        foreach (var file in options.ComposeFiles)
        {
            args.Add("-f");
            args.Add(file);
        }
        args.AddRange(["--app", options.App, "--timeout", "3m"]);
        // The compose override reads the image and host from variables, which the CLI sends from its environment.
        var environment = new Dictionary<string, string>
        {
            ["WEB_IMAGE"] = version == "v1" ? options.ImageV1 : options.ImageV2,
            ["HELLO_HOST"] = options.Host,
        };
        return Cli.RunAsync(args, environment, ct);
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        if (!await StartServerCoreAsync(ct).ConfigureAwait(false))
        {
            throw new BenchAbortedException($"the server did not become healthy on {ServerUrl}: {_server?.Tail()}");
        }
        Log($"server on {ServerUrl} (pid {_server!.Pid}, data {DataDirectory})");
    }

    private async Task<bool> StartServerCoreAsync(CancellationToken ct)
    {
        _server = GantryProcess.Start("server", options.GantryBinary, ["server", "--data", DataDirectory, "--listen", ServerUrl.ToString().TrimEnd('/')], options.WorkDirectory);
        var server = _server;
        return await Net.WaitForAsync(new Uri(ServerUrl, "healthz"), null, _ => true, TimeSpan.FromSeconds(60), () => !server.Running, ct).ConfigureAwait(false)
            && File.Exists(Path.Combine(DataDirectory, "admin-token"));
    }

    private async Task StartRouterAsync(CancellationToken ct)
    {
        var admin = Net.FreePort();
        _router = GantryProcess.Start("router", options.GantryBinary,
        [
            "router", "--from", ServerUrl.ToString().TrimEnd('/'), "--token-file", Path.Combine(DataDirectory, "admin-token"),
            "--state", Path.Combine(options.WorkDirectory, "router-state"), "--http", $"127.0.0.1:{_routerPort}",
            "--internal", $"127.0.0.1:{Net.FreePort()}", "--admin", $"127.0.0.1:{admin}",
            "--access-log", Path.Combine(options.WorkDirectory, "access.log"),
        ], options.WorkDirectory, new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" });
        var router = _router;
        if (!await Net.WaitForAsync(new Uri($"http://127.0.0.1:{admin}/healthz"), null, _ => true, TimeSpan.FromSeconds(30), () => !router.Running, ct).ConfigureAwait(false))
        {
            throw new BenchAbortedException($"the router did not become healthy: {router.Tail()}");
        }
        Log($"router on 127.0.0.1:{_routerPort} (pid {router.Pid}, admin 127.0.0.1:{admin})");
    }

    private async Task CleanupAsync()
    {
        if (_server is not { Running: true } && Directory.Exists(DataDirectory))
        {
            // The app's containers belong to this data directory's server: bring it back to remove them.
            _server?.Dispose();
            await StartServerCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        if (_server is { Running: true })
        {
            try
            {
                var rm = await Cli.RunAsync(["rm", options.App, "--timeout", "2m"], null, CancellationToken.None).ConfigureAwait(false);
                Log(rm.ExitCode == 0 ? $"removed {options.App}" : $"gantry rm {options.App} failed (exit {rm.ExitCode}): {rm.LastLine}");
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                Log($"gantry rm {options.App} failed: {e.Message}");
            }
        }
        foreach (var process in new[] { _router, _server })
        {
            if (process is not null)
            {
                await process.TerminateAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                process.Dispose();
            }
        }
        _router = null;
        _server = null;
    }

    /// <summary>The version the latest successful request carried (<paramref name="fallback"/> when none did).</summary>
    private string ObservedVersion(string fallback)
    {
        var records = _load!.Snapshot().Records;
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].Succeeded && records[i].Marker is { } marker)
            {
                return marker;
            }
        }
        return fallback;
    }

    /// <summary>What the server said about rolling back by itself, from its log (both runs of it: the log is appended).</summary>
    private IReadOnlyList<string> AutomaticRollbacks()
    {
        var log = Path.Combine(options.WorkDirectory, "server.log");
        return File.Exists(log)
            ? File.ReadLines(log).Where(l => l.Contains("automatically", StringComparison.Ordinal)).ToList()
            : [];
    }

    private static string Other(string version) => version == "v1" ? "v2" : "v1";

    private void Log(string message) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[+{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}"));
}
