using Gantry.Model.Environments;

namespace Gantry.Server.Environments;

/// <summary>Which previews have been idle too long, and when the next one will be. Pure.</summary>
public static class PreviewSchedule
{
    public static (IReadOnlyList<EnvironmentRecord> Expired, DateTimeOffset? Next) At(IEnumerable<EnvironmentRecord> previews, TimeSpan idle, DateTimeOffset now)
    {
        var expired = new List<EnvironmentRecord>();
        DateTimeOffset? next = null;
        foreach (var record in previews)
        {
            if (record.Preview is not { } preview)
            {
                continue;
            }
            var due = preview.PushedAt + idle;
            if (due <= now)
            {
                expired.Add(record);
            }
            else if (next is null || due < next)
            {
                next = due;
            }
        }
        return (expired, next);
    }
}
