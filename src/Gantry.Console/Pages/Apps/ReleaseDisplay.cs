using Gantry.Model.Api;
using Gantry.Model.Releases;

namespace Gantry.Console.Pages.Apps;

/// <summary>How the Releases page words a release: its state, its cause, the verdict that ended it, and a one-line summary of its diff.</summary>
public static class ReleaseDisplay
{
    /// <summary>Paths named in a summary before "and N more".</summary>
    public const int SummaryPaths = 2;

    /// <summary>"live (current)", "previous", "rolled back", "failed"...</summary>
    public static string State(ReleaseView release)
    {
        var phase = release.Phase switch
        {
            ReleasePhases.Superseded => "previous",
            ReleasePhases.RolledBack => "rolled back",
            _ => release.Phase,
        };
        return release.Current ? $"{phase} (current)" : phase;
    }

    /// <summary>"deploy", "rollback of 5", "auto-rollback of 5" (the CLI's wording).</summary>
    public static string Cause(ReleaseView release) =>
        release.RollbackOf is { } of ? $"{release.Cause} of {of}" : release.Cause;

    /// <summary>
    /// Why a release ended (failed, rolled back: the automatic rollback's verdict with its numbers) or what a rollback
    /// restored; null for a plain deploy.
    /// </summary>
    public static string? Verdict(ReleaseView release) =>
        release.Phase is ReleasePhases.Failed or ReleasePhases.RolledBack && !string.IsNullOrWhiteSpace(release.Reason) ? release.Reason
        : release.Cause != ReleaseCauses.Deploy && !string.IsNullOrWhiteSpace(release.Message) ? release.Message
        : null;

    /// <summary>"2 changes: services.web.image, services.web.environment.LOG_LEVEL" (at most <see cref="SummaryPaths"/> paths named).</summary>
    public static string Summary(IReadOnlyList<ReleaseChange> changes)
    {
        var named = string.Join(", ", changes.Take(SummaryPaths).Select(c => c.Path));
        var rest = changes.Count - SummaryPaths;
        return $"{changes.Count} change{(changes.Count == 1 ? "" : "s")}: {named}{(rest > 0 ? $" and {rest} more" : "")}";
    }
}
