namespace Gantry.Model;

/// <summary>A container health check, in the Engine API's terms.</summary>
/// <param name="Test">["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"].</param>
public sealed record HealthCheckSpec(IReadOnlyList<string> Test)
{
    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public int? Retries { get; init; }

    public TimeSpan? StartPeriod { get; init; }

    public TimeSpan? StartInterval { get; init; }

    /// <summary>True when the file says `disable: true` or test is NONE: the image's own check is turned off too.</summary>
    public bool Disable { get; init; }
}
