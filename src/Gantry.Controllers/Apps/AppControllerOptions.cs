using Gantry.Controllers.Planning;
using Gantry.Controllers.Resources;

namespace Gantry.Controllers.Apps;

/// <summary>Tuning of the app controller; the defaults suit one node.</summary>
public sealed record AppControllerOptions
{
    public ResourceDefaults Defaults { get; init; } = new();

    public RestartBackoff Backoff { get; init; } = new();

    /// <summary>Every app is reconciled at least this often (give or take 10%), events or not: the safety net for anything missed.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon an app that has not converged is looked at again.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public int Workers { get; init; } = 2;
}
