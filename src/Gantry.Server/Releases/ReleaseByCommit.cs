using Gantry.Model.Releases;

namespace Gantry.Server.Releases;

/// <summary>Pure: `gantry rollback APP --to SHA`: the newest release made from that commit (a push, or a rollback to one).</summary>
public static class ReleaseByCommit
{
    public static (long? Number, string? Error) Find(string app, IEnumerable<ReleaseRecord> releases, string commit)
    {
        var wanted = commit.Trim().ToLowerInvariant();
        if (wanted.Length is < 7 or > 40 || !wanted.All(char.IsAsciiHexDigit))
        {
            return (null, $"'{commit}' is not a commit id: give 7 to 40 hex digits of a pushed commit (the COMMIT column of 'gantry releases {app}'), or a release number");
        }
        var matching = releases.Where(r => r.Source?.Commit.StartsWith(wanted, StringComparison.Ordinal) == true).ToList();
        if (matching.Count == 0)
        {
            return (null, $"no release of '{app}' was made from commit {wanted}: 'gantry releases {app}' lists the commits it ran");
        }
        var commits = matching.Select(r => r.Source!.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count > 1)
        {
            return (null, $"'{wanted}' matches several commits ({string.Join(", ", commits.Select(c => c[..12]))}): give more digits");
        }
        // Prefer the release that first ran it (a rollback's copy has the same state), newest such one if pushed twice.
        return (matching.Where(r => r.RollbackOf is null).Select(r => (long?)r.Number).Max() ?? matching.Max(r => r.Number), null);
    }
}
