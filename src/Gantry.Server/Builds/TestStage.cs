using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Builds;

/// <summary>
/// A push pipeline's test stage (docs/decisions/0026): after the build, each service with `x-gantry: test:` runs its command
/// in a container of the image just built, under the build limits and the test's own time limit, its output in the build's
/// log. The first test that does not exit 0 stops the pipeline: no release is made.
/// </summary>
public sealed class TestStage(IEngineDriver engine, BuildOptions options, TimeProvider time)
{
    /// <summary>How many of a failed test's last lines its message quotes.</summary>
    public const int QuotedLines = 5;

    /// <summary>On every test container: the app it tests.</summary>
    public const string Label = "gantry.test-of";

    /// <summary>Runs the tests of <paramref name="spec"/>; null when they all passed (or there were none), else why not.</summary>
    /// <param name="images">The image id each built service's build made.</param>
    public async Task<string?> RunAsync(AppSpec spec, long build, IReadOnlyDictionary<string, string> images, Action<string> line, CancellationToken ct)
    {
        foreach (var service in spec.Services.Where(s => s.Test is not null))
        {
            var test = service.Test!;
            var image = images.GetValueOrDefault(service.Name) ?? service.PinnedImage ?? service.Image;
            if (image is null)
            {
                return BuildMessages.TestNotRun(service.Name, "the service has no image");
            }
            line($"gantry: test stage: {service.Name}: {string.Join(' ', test.Command)} (time limit {BuildMessages.Duration(test.Timeout)})");
            var last = new Queue<string>();
            var output = new InlineLines(text =>
            {
                line($"{service.Name} test: {text}");
                last.Enqueue(text);
                if (last.Count > QuotedLines)
                {
                    last.Dequeue();
                }
            });
            var name = $"gantry-test-{spec.Name}-{build}-{service.Name}";
            var labels = new Dictionary<string, string> { [Label] = spec.Name, ["gantry.test-build"] = build.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var run = new OneOffRun(name, image, test.Command, options.Limits) { Labels = labels };
            using var limit = new CancellationTokenSource(test.Timeout, time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
            long exit;
            var started = new List<string>();
            try
            {
                if (test.Services.Count > 0)
                {
                    // The services the test needs, on a network of the run's own where each answers by its name.
                    await engine.CreateOneOffNetworkAsync(name, labels, deadline.Token).ConfigureAwait(false);
                    run = run with { Network = name };
                    if (await StartServicesAsync(spec, service.Name, test.Services, images, name, labels, started, line, deadline.Token).ConfigureAwait(false) is { } notStarted)
                    {
                        return notStarted;
                    }
                }
                exit = await engine.RunToExitAsync(run, output, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && limit.IsCancellationRequested && e is OperationCanceledException or EngineException or IOException)
            {
                return BuildMessages.TestTimedOut(service.Name, test.Timeout);
            }
            catch (EngineException e) when (!ct.IsCancellationRequested)
            {
                return BuildMessages.TestNotRun(service.Name, e.Message);
            }
            finally
            {
                foreach (var sidecar in started)
                {
                    await engine.RemoveOneOffRunAsync(sidecar).ConfigureAwait(false);
                }
                if (test.Services.Count > 0)
                {
                    await engine.RemoveOneOffNetworkAsync(name).ConfigureAwait(false);
                }
            }
            if (exit != 0)
            {
                return BuildMessages.TestFailed(service.Name, exit, [.. last], options.MemoryBytes);
            }
            line($"gantry: test stage: {service.Name} passed");
        }
        return null;
    }

    /// <summary>Starts each needed service from its image (the one just built, or its own) and waits for the health checks; null when all are up.</summary>
    private async Task<string?> StartServicesAsync(AppSpec spec, string tested, IReadOnlyList<string> needed, IReadOnlyDictionary<string, string> images,
        string network, IReadOnlyDictionary<string, string> labels, List<string> started, Action<string> line, CancellationToken ct)
    {
        foreach (var name in needed)
        {
            if (spec.Services.FirstOrDefault(s => s.Name == name) is not { } other)
            {
                return BuildMessages.TestNotRun(tested, $"x-gantry test.services names '{name}', which is not a service of this app; name one of {string.Join(", ", spec.Services.Select(s => s.Name))}");
            }
            var image = images.GetValueOrDefault(name) ?? other.PinnedImage ?? other.Image;
            if (image is null)
            {
                return BuildMessages.TestNotRun(tested, $"service '{name}' has no image");
            }
            line($"gantry: test stage: starting {name} for {tested}'s test");
            var sidecar = $"{network}-{name}";
            started.Add(sidecar);
            await engine.StartOneOffAsync(new OneOffRun(sidecar, image, other.Command, options.Limits)
            {
                Labels = labels,
                Entrypoint = other.Entrypoint,
                Environment = [.. other.Environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}")],
                Network = network,
                Aliases = [name],
                User = other.User,
                WorkingDir = other.WorkingDir,
                HealthCheck = other.HealthCheck,
            }, ct).ConfigureAwait(false);
        }
        foreach (var name in needed)
        {
            // A health check (the file's or the image's) is waited for; a service without one is taken as up once started.
            while (true)
            {
                var state = await engine.OneOffStateAsync($"{network}-{name}", ct).ConfigureAwait(false);
                if (state is "healthy" or "running")
                {
                    line($"gantry: test stage: {name} is {state}");
                    break;
                }
                if (state is not "starting")
                {
                    return BuildMessages.TestNotRun(tested, $"service '{name}' it needs is {state ?? "gone"} before the test could start");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct).ConfigureAwait(false);
            }
        }
        return null;
    }

    private sealed class InlineLines(Action<string> onLine) : IProgress<string>
    {
        public void Report(string value) => onLine(value);
    }
}
