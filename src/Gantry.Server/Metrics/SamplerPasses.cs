namespace Gantry.Server.Metrics;

/// <summary>
/// Tells whoever reads the history (the autoscaler) that a sampler pass has recorded its samples, so a reader looks
/// exactly when there is something new and never polls: no pass, no look.
/// </summary>
public sealed class SamplerPasses
{
    /// <summary>Raised on the sampler's loop after a pass at the given time has been recorded; handlers must not block.</summary>
    public event Action<DateTimeOffset>? Recorded;

    internal void Publish(DateTimeOffset at) => Recorded?.Invoke(at);
}
