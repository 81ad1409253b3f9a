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
            var run = new OneOffRun($"gantry-test-{spec.Name}-{build}-{service.Name}", image, test.Command, options.Limits)
            {
                Labels = new Dictionary<string, string> { [Label] = spec.Name, ["gantry.test-build"] = build.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
            using var limit = new CancellationTokenSource(test.Timeout, time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
            long exit;
            try
            {
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
            if (exit != 0)
            {
                return BuildMessages.TestFailed(service.Name, exit, [.. last], options.MemoryBytes);
            }
            line($"gantry: test stage: {service.Name} passed");
        }
        return null;
    }

    private sealed class InlineLines(Action<string> onLine) : IProgress<string>
    {
        public void Report(string value) => onLine(value);
    }
}
