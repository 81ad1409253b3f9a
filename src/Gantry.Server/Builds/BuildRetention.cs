namespace Gantry.Server.Builds;

/// <summary>Pure: which of an app's builds go, with their logs: finished ones beyond the newest <c>keep</c>; a queued or running build always stays.</summary>
public static class BuildRetention
{
    public static IReadOnlyList<long> Expired(IEnumerable<(long Number, string State)> builds, int keep) =>
        builds.OrderByDescending(b => b.Number)
            .Skip(keep)
            .Where(b => Model.Api.BuildStates.IsFinished(b.State))
            .Select(b => b.Number)
            .ToList();
}
