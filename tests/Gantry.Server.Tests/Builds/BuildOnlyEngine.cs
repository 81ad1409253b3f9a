using System.Collections.Concurrent;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Builds;

/// <summary>A fake engine that only builds: each build says one line, then finishes when the test opens its gate (or is cancelled).</summary>
public sealed class BuildOnlyEngine : NarrowEngine, IEngineDriver
{
    protected override string Seam => "builds use only the build members of the engine driver";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _gates = new(StringComparer.Ordinal);

    /// <summary>False: builds finish at once.</summary>
    public bool Gated { get; init; }

    public ConcurrentQueue<(string Tag, BuildLimits? Limits)> Builds { get; } = new();

    public ConcurrentQueue<string> Removed { get; } = new();

    /// <summary>Ends the gated build of <paramref name="tag"/>: with an image id, or a failure message.</summary>
    public void Finish(string tag, string? failure = null) => Gate(tag).TrySetResult(failure);

    /// <summary>Returns once the build of <paramref name="tag"/> started.</summary>
    public async Task StartedAsync(string tag)
    {
        while (!Builds.Any(b => b.Tag == tag))
        {
            await Task.Delay(10);
        }
    }

    public override async Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct)
    {
        progress?.Report($"Step 1/1 : building {tag}");
        Builds.Enqueue((tag, limits));
        if (Gated && await Gate(tag).Task.WaitAsync(ct) is { } failure)
        {
            throw new EngineException(failure, isTransient: false);
        }
        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag)));
    }

    public override Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct)
    {
        Removed.Enqueue(id);
        return Task.FromResult(ImageRemoval.Removed);
    }

    /// <summary>The test stage's runs, as asked; <see cref="Test"/> plays each (null: a test that passes at once, saying nothing).</summary>
    public ConcurrentQueue<OneOffRun> Runs { get; } = new();

    public Func<OneOffRun, IProgress<string>, CancellationToken, Task<long>>? Test { get; init; }

    public Task<long> RunToExitAsync(OneOffRun run, IProgress<string> output, CancellationToken ct)
    {
        Runs.Enqueue(run);
        return Test?.Invoke(run, output, ct) ?? Task.FromResult(0L);
    }

    private TaskCompletionSource<string?> Gate(string tag) => _gates.GetOrAdd(tag, _ => new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));

    }
