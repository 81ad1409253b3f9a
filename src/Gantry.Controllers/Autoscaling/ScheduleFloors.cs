using Cronos;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// The floor the schedule sets now: an entry holds from each occurrence of its cron, read in the server's zone, for its
/// `for` of elapsed time. Reading the cron in the zone keeps "19:00 on Fridays" at 19:00 on the wall clock across daylight
/// saving changes (a time skipped by the change fires at the first instant after it), while `for` stays real time.
/// </summary>
internal static class ScheduleFloors
{
    /// <summary>The highest floor in force and the entry that sets it; (0, null) when none holds.</summary>
    public static (int Floor, AutoscaleFloor? Entry) At(IReadOnlyList<AutoscaleFloor> schedule, DateTimeOffset now, TimeZoneInfo zone)
    {
        var floor = 0;
        AutoscaleFloor? entry = null;
        foreach (var candidate in schedule)
        {
            var cron = CronExpression.Parse(candidate.Cron, CronFormat.Standard);
            // An occurrence o holds while o <= now < o + for, i.e. o in (now - for, now].
            if (candidate.Min > floor && cron.GetOccurrences(now - candidate.For, now, zone, fromInclusive: false, toInclusive: true).Any())
            {
                floor = candidate.Min;
                entry = candidate;
            }
        }
        return (floor, entry);
    }
}
