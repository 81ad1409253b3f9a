namespace Gantry.Router.Config;

/// <summary>Passive health: a destination that fails live traffic repeatedly is ejected for a while, then tried again.</summary>
public sealed record PassiveHealthSpec
{
    public bool Enabled { get; init; } = true;

    /// <summary>Consecutive transport failures or 5xx answers that eject a destination.</summary>
    public int ConsecutiveFailures { get; init; } = 5;

    /// <summary>How long an ejected destination is skipped before it is given traffic (and a probe) again.</summary>
    public TimeSpan ReactivationPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The defaults used when a cluster gives none.</summary>
    public static PassiveHealthSpec Default { get; } = new();
}
