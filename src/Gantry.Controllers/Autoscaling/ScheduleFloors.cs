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

    /// <summary>
    /// The next instant after <paramref name="now"/> at which an entry's floor starts; null when the schedule is empty or
    /// never fires again. A floor's start is the one moment the autoscaler must act without any sample to prompt it: a
    /// service at zero runs no replica, so no sampler pass comes.
    /// </summary>
    public static DateTimeOffset? NextStart(IReadOnlyList<AutoscaleFloor> schedule, DateTimeOffset now, TimeZoneInfo zone)
    {
        DateTimeOffset? next = null;
        foreach (var entry in schedule)
        {
            var at = CronExpression.Parse(entry.Cron, CronFormat.Standard).GetNextOccurrence(now, zone, inclusive: false);
            if (at is { } found && (next is null || found < next))
            {
                next = found;
            }
        }
        return next;
    }
}
