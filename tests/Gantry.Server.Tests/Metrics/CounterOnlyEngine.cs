using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Metrics;

/// <summary>A fake engine that only answers counter reads: every container uses a steady <see cref="Cores"/> since <see cref="Since"/>.</summary>
public sealed class CounterOnlyEngine(TimeProvider time) : NarrowEngine, IEngineDriver
{
    protected override string Seam => "the metrics sampler reads only counters from the engine";

    private int _reads;

    public DateTimeOffset Since { get; } = time.GetUtcNow();

    /// <summary>The steady CPU use of every container; settable so a test can make it idle.</summary>
    public double Cores { get; set; } = 0.25;

    public int Reads => Volatile.Read(ref _reads);

    public Task<ContainerUsage?> ReadCountersAsync(string id, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        var now = time.GetUtcNow();
        return Task.FromResult<ContainerUsage?>(new ContainerUsage(0, 8 << 20, 32 << 20)
        {
            ReadAt = now,
            CpuNanoseconds = (ulong)((now - Since).TotalSeconds * Cores * 1e9),
            NetworkRxBytes = (long)(now - Since).TotalSeconds * 100,
        });
    }

    }
