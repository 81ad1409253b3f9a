namespace Gantry.Router.Contracts.Routes;

/// <summary>Passive health: a destination that fails live traffic repeatedly is ejected for a while, then tried again.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default. A zero period means "the default".</remarks>
public sealed record PassiveHealthSpec(bool Enabled = true, int ConsecutiveFailures = 5, TimeSpan ReactivationPeriod = default)
{
    public bool Enabled { get; init; } = Enabled;

    /// <summary>Consecutive transport failures or 5xx answers that eject a destination.</summary>
    public int ConsecutiveFailures { get; init; } = ConsecutiveFailures;

    /// <summary>How long an ejected destination is skipped before it is given traffic (and a probe) again.</summary>
    public TimeSpan ReactivationPeriod { get; init; } = ReactivationPeriod == default ? TimeSpan.FromSeconds(10) : ReactivationPeriod;

    /// <summary>The defaults used when a cluster gives none.</summary>
    public static PassiveHealthSpec Default { get; } = new();
}
