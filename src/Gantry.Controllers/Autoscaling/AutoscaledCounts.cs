using Gantry.Model;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// The autoscaler owns an autoscaled service's count: a deploy does not reset it to the compose file's number. Pure, so
/// the rule is tested without a store.
/// </summary>
public static class AutoscaledCounts
{
    /// <summary>
    /// <paramref name="next"/> with each autoscaled service's count taken from <paramref name="current"/> (the one
    /// running now) when the service was there, else from the compose file; either way brought within min and max.
    /// </summary>
    public static AppSpec Keep(AppSpec next, AppSpec? current)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Services.All(s => s.Autoscale is null))
        {
            return next;
        }
        return next with
        {
            Services = next.Services.Select(s => s.Autoscale is not { } policy
                ? s
                : s with { Replicas = Math.Clamp(current?.FindService(s.Name)?.Replicas ?? s.Replicas, policy.Min, policy.Max) }).ToList(),
        };
    }

    /// <summary>Why a manual count for an autoscaled service is refused, or null when it is within the policy's range.</summary>
    public static string? RefuseManual(ServiceSpec service, int count)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Autoscale is { } policy && (count < policy.Min || count > policy.Max)
            ? $"service '{service.Name}' is autoscaled between {policy.Min} and {policy.Max}: scale it within that range (the autoscaler " +
              $"takes it from there), or change x-gantry autoscale's min and max and deploy"
            : null;
    }
}
