namespace Gantry.Router.Observability;

/// <summary>Decides when the router's status goes to the server: at once when its meaning changed since the last report
/// the server accepted, otherwise only when the keepalive is due (so an idle router sends one small post per keepalive).</summary>
/// <remarks>Pure: the reporter's loop gives it the time (elapsed since the reporter started) and the meaning it sampled.
/// The keepalive is jittered (±<see cref="Jitter"/>) so that routers started together do not post together. Every accepted
/// report, keepalive or not, restarts the keepalive. Not thread-safe: one loop owns it.</remarks>
public sealed class StatusHeartbeat
{
    public const double Jitter = 0.1;

    private readonly Func<double> _random;
    private RouterStatusMeaning? _delivered;
    private TimeSpan _keepaliveDue;

    /// <param name="keepalive">The mean time between two reports when nothing changes.</param>
    /// <param name="random">A number in [0, 1) for the jitter (Random.Shared.NextDouble in the router).</param>
    public StatusHeartbeat(TimeSpan keepalive, Func<double> random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(keepalive, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(random);
        Keepalive = keepalive;
        _random = random;
    }

    public TimeSpan Keepalive { get; }

    /// <summary>The longest a healthy router stays silent: the keepalive plus its jitter (the server's silence must be well above it).</summary>
    public TimeSpan LongestSilence => Keepalive * (1 + Jitter);

    /// <summary>Whether a report with this meaning should be sent now.</summary>
    public bool ShouldSend(RouterStatusMeaning meaning, TimeSpan now) =>
        _delivered is null || !_delivered.Equals(meaning) || now >= _keepaliveDue;

    /// <summary>The server accepted a report with this meaning at <paramref name="now"/>.</summary>
    public void Delivered(RouterStatusMeaning meaning, TimeSpan now)
    {
        _delivered = meaning;
        _keepaliveDue = now + Keepalive * (1 - Jitter + (2 * Jitter * _random()));
    }

    /// <summary>The server may not know what was last delivered (a post failed, or it may have restarted): send at the next chance.</summary>
    public void Forget() => _delivered = null;
}
