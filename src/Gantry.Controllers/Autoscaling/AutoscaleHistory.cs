namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// What one decision hands the next, so the decision itself stays a pure function: the recent recommendations (for
/// the scale-in stabilisation window), when the count last changed (samples from before a change describe another
/// count) and the traffic clock that scale to zero reads. Immutable; each decision returns the next one.
/// </summary>
public sealed record AutoscaleHistory
{
    public static readonly AutoscaleHistory Empty = new();

    /// <summary>Each decision's count by the targets alone, oldest first: those within the scale-in delay, and the newest one before it.</summary>
    public IReadOnlyList<AutoscaleRecommendation> Recommendations { get; init; } = [];

    public DateTimeOffset? LastScaleOut { get; init; }

    public DateTimeOffset? LastScaleIn { get; init; }

    /// <summary>The newest sample in which the routers saw a request.</summary>
    public DateTimeOffset? LastRequestAt { get; init; }

    /// <summary>Since when the routers have reported without a gap; null while there is no router data (idle is never assumed).</summary>
    public DateTimeOffset? TrafficSince { get; init; }

    /// <summary>When the count last changed either way.</summary>
    public DateTimeOffset? LastChange => LastScaleOut > LastScaleIn || LastScaleIn is null ? LastScaleOut : LastScaleIn;

    /// <summary>
    /// The history with this decision's recommendation added and those that no longer matter dropped: the newest one
    /// at or before the window's start is kept, because it was in force then and proves the window is covered.
    /// </summary>
    internal AutoscaleHistory Remember(DateTimeOffset now, int count, TimeSpan window)
    {
        var start = now - window;
        var kept = Recommendations.Append(new AutoscaleRecommendation(now, count)).ToList();
        var inForceAtStart = kept.FindLastIndex(r => r.At <= start);
        return this with { Recommendations = inForceAtStart > 0 ? kept[inForceAtStart..] : kept };
    }

    /// <summary>Whether recommendations reach back to <paramref name="start"/>, i.e. the need has been watched for the whole window.</summary>
    internal bool Covers(DateTimeOffset start) => Recommendations.Count > 0 && Recommendations[0].At <= start;

    /// <summary>The highest recommendation kept: the most replicas the window's need ever called for.</summary>
    internal int Highest => Recommendations.Max(r => r.Count);
}

/// <summary>The count the targets called for at one decision, before floors, caps and the guard.</summary>
public readonly record struct AutoscaleRecommendation(DateTimeOffset At, int Count);
