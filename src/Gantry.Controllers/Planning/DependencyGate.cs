using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Controllers.Planning;

/// <summary>Decides whether a service's depends_on conditions hold, from what the engine shows of its dependencies.</summary>
internal static class DependencyGate
{
    /// <summary>Null when every dependency is satisfied, otherwise the first unmet one in words.</summary>
    public static string? Unmet(ServiceSpec service, AppSpec app, IReadOnlyDictionary<string, IReadOnlyList<ObservedContainer>> currentBySevice)
    {
        foreach (var dependency in service.DependsOn)
        {
            var target = app.FindService(dependency.Service);
            if (target is null || target.Replicas == 0)
            {
                continue;
            }
            var current = currentBySevice.GetValueOrDefault(target.Name) ?? [];
            var satisfied = current.Count >= target.Replicas && current.All(c => dependency.Condition switch
            {
                DependencyCondition.Started => c.IsRunning || (c.IsStopped && c.ExitCode == 0 && c.StartedAt is not null),
                // A dependency without a health check counts as healthy once running, rather than
                // blocking forever; the loader warns about it.
                DependencyCondition.Healthy => c.IsRunning && c.Health is "healthy" or "none",
                DependencyCondition.CompletedSuccessfully => c.State == "exited" && c.ExitCode == 0,
                _ => false,
            });
            if (!satisfied)
            {
                var what = dependency.Condition switch
                {
                    DependencyCondition.Healthy => "healthy",
                    DependencyCondition.CompletedSuccessfully => "completed successfully",
                    _ => "started",
                };
                return $"waiting for '{target.Name}' to be {what}";
            }
        }
        return null;
    }
}
