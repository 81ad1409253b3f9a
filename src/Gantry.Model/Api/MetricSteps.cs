namespace Gantry.Model.Api;

/// <summary>
/// The step sizes a metrics query offers: multiples of the server's 10 s slots below a minute and of its minutes above, so
/// every point is made of whole slots or minutes. The server picks one for a query without a step, the CLI for its sparklines.
/// </summary>
public static class MetricSteps
{
    /// <summary>The finest step: the server samples every 10 s.</summary>
    public static readonly TimeSpan Finest = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan[] s_ladder =
    [
        Finest, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>The smallest step that covers <paramref name="window"/> in at most <paramref name="points"/> points (a day at most).</summary>
    public static TimeSpan For(TimeSpan window, int points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        foreach (var step in s_ladder)
        {
            if (window.Ticks <= step.Ticks * points)
            {
                return step;
            }
        }
        return s_ladder[^1];
    }
}
