using Gantry.Model.Api;
using Gantry.Model.Environments;
using Gantry.Model.Releases;

namespace Gantry.Server.Environments;

/// <summary>One environment as the pipeline view and the auto-promotion see it: its gate, its current release and its releases.</summary>
public sealed record PipelineEnvironment(string Name, string Instance, PromotionGate? Gate, long? Current, IReadOnlyList<PipelineRelease> Releases)
{
    public bool IsPreview { get; init; }
}

/// <summary>A release, reduced to what the pipeline needs.</summary>
public sealed record PipelineRelease(long Number, ReleaseSource? Source, string Cause, string Phase, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// The pushes of an app and how far each went (docs/decisions/0032), and the auto-promotion's decision. Pure: the builds,
/// the environments and their releases come in, the answers go out.
/// </summary>
public static class Pipelines
{
    /// <summary>The newest <paramref name="limit"/> commits, newest first, each with its build and its release per environment.</summary>
    public static IReadOnlyList<PipelineRun> Compose(IReadOnlyList<BuildView> builds, IReadOnlyList<PipelineEnvironment> environments, int limit = 50)
    {
        ArgumentNullException.ThrowIfNull(builds);
        var ordered = Order(environments);
        var commits = builds.Select(b => b.Commit).Concat(ordered.SelectMany(e => e.Releases).Select(r => r.Source?.Commit))
            .OfType<string>().Distinct(StringComparer.Ordinal);
        var runs = new List<PipelineRun>();
        foreach (var commit in commits)
        {
            var build = builds.Where(b => b.Commit == commit).MaxBy(b => b.Number);
            var stages = ordered
                .Select(e => (Environment: e, Release: e.Releases.Where(r => r.Source?.Commit == commit).MaxBy(r => r.Number)))
                .Where(p => p.Release is not null)
                .Select(p => new PipelineStage(p.Environment.Name, p.Environment.Instance, p.Release!.Number, p.Release.Phase, p.Release.CreatedAt, p.Release.CreatedBy))
                .ToList();
            var source = ordered.SelectMany(e => e.Releases).Select(r => r.Source).FirstOrDefault(s => s?.Commit == commit);
            var at = new[] { build?.QueuedAt }.Concat(stages.Select(s => (DateTimeOffset?)s.At)).OfType<DateTimeOffset>().DefaultIfEmpty().Min();
            var next = Waiting(commit, ordered);
            runs.Add(new PipelineRun(commit)
            {
                Branch = build?.Branch ?? source?.Branch,
                Author = build?.Author ?? source?.Author,
                At = at,
                Build = build?.Number,
                BuildState = build?.State,
                Message = build?.State == BuildStates.Failed ? build.Message : null,
                Stages = stages,
                Next = next?.To,
                NextMode = next?.Mode,
            });
        }
        return [.. runs.OrderByDescending(r => r.At).ThenBy(r => r.Commit, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>
    /// The release of <paramref name="source"/> its gate promotes now, or null: its current release, live, made by a push or a
    /// promotion (never a rollback, which must not carry an old commit onward), newer than anything the target has had since,
    /// and from a commit the target has not run since.
    /// </summary>
    public static PipelineRelease? ToPromote(PipelineEnvironment source, PipelineEnvironment? target)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Gate is null || source.Current is not { } current
            || source.Releases.FirstOrDefault(r => r.Number == current) is not { Phase: ReleasePhases.Live, Cause: ReleaseCauses.GitPush, Source: not null } release)
        {
            return null;
        }
        // Anything the target got since (this commit, a rollback, a deploy by hand) is a newer decision than this release.
        return target?.Releases.Any(r => r.CreatedAt >= release.CreatedAt) == true ? null : release;
    }

    /// <summary>The gate that holds <paramref name="commit"/>: its environment's current live release is the commit and the target has not had it since.</summary>
    private static PromotionGate? Waiting(string commit, IReadOnlyList<PipelineEnvironment> environments)
    {
        foreach (var environment in environments)
        {
            var target = environments.FirstOrDefault(e => e.Name == environment.Gate?.To);
            if (ToPromote(environment, target) is { } release && release.Source!.Commit == commit)
            {
                return environment.Gate;
            }
        }
        return null;
    }

    /// <summary>Pipeline order: an environment after the one whose gate feeds it, production after the others, previews last.</summary>
    private static List<PipelineEnvironment> Order(IReadOnlyList<PipelineEnvironment> environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        int Depth(PipelineEnvironment e)
        {
            var depth = 0;
            for (var at = e.Name; depth < environments.Count && environments.FirstOrDefault(s => s.Gate?.To == at) is { } feeder; at = feeder.Name)
            {
                depth++;
            }
            return depth;
        }
        return [.. environments.OrderBy(e => e.IsPreview).ThenBy(Depth).ThenBy(e => e.Name == EnvironmentNames.Production).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }
}
