namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>A TimeProvider the test moves by hand (the testing package is not on the mirror); timers still use real time.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
