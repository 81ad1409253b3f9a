using Gantry.Model.Api;
using Gantry.Model.Status;

namespace Gantry.Cli.Rollout;

/// <summary>
/// The pure core of deploy progress: folds events and polled app details into per-service stages
/// (image, created, started, healthy) and decides when the generation has converged or failed.
/// </summary>
public sealed class RolloutTracker(long generation)
{
    private readonly SortedDictionary<string, ServiceRolloutState> _services = new(StringComparer.Ordinal);

    public long Generation { get; } = generation;

    /// <summary>The last app detail polled, for the final summary and the timeout message.</summary>
    public AppDetail? Last { get; private set; }

    /// <summary>Folds one event in; returns a line to print when it is a warning worth showing as it comes.</summary>
    public string? Observe(EventView e)
    {
        if (!string.IsNullOrEmpty(e.Service))
        {
            var service = Service(e.Service);
            var replica = e.Replica ?? e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (e.Reason)
            {
                case EventReasons.ImageBuilding:
                    service.ImageStage = "building image";
                    break;
                case EventReasons.ImageBuilt or EventReasons.ImagePulled or EventReasons.ImageReady:
                    service.ImageStage = "image ready";
                    break;
                case EventReasons.ImageFailed:
                    service.ImageStage = "image failed";
                    break;
                case EventReasons.ReplicaCreated:
                    service.Created.Add(replica);
                    break;
                case EventReasons.ReplicaStarted:
                    service.Created.Add(replica);
                    service.Started.Add(replica);
                    break;
                case EventReasons.ReplicaHealthy:
                    service.Created.Add(replica);
                    service.Started.Add(replica);
                    service.Healthy.Add(replica);
                    break;
                case EventReasons.ReplicaExited or EventReasons.ReplicaOomKilled or EventReasons.ReplicaUnhealthy or EventReasons.ReplicaBackoff or EventReasons.ReplicaRemoved:
                    service.Started.Remove(replica);
                    service.Healthy.Remove(replica);
                    break;
            }
        }
        if (!string.Equals(e.Type, "Warning", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var where = e.Replica ?? e.Service;
        return where is null ? $"warning: {e.Reason}: {e.Message}" : $"warning: {where}: {e.Reason}: {e.Message}";
    }

    public void Observe(AppDetail detail)
    {
        Last = detail;
        foreach (var spec in detail.Spec.Services ?? [])
        {
            Service(spec.Name).Desired = spec.Replicas;
        }
        foreach (var status in detail.Status.Services ?? [])
        {
            var service = Service(status.Name);
            service.Desired = status.Desired;
            service.StatusReplicas = status.Replicas?.Count ?? 0;
            service.StatusRunning = status.Running;
            service.StatusHealthy = status.Healthy;
            if (status.Running > 0 && service.ImageStage == "waiting")
            {
                // No image event (an unchanged image, or events missed): a running replica proves the image is there.
                service.ImageStage = "image ready";
            }
        }
    }

    /// <summary>One line per service, keyed by service name, names padded so the columns line up.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Lines()
    {
        var width = _services.Count == 0 ? 0 : _services.Keys.Max(k => k.Length);
        var lines = new List<KeyValuePair<string, string>>(_services.Count);
        foreach (var service in _services.Values)
        {
            var observed = Last is { } last && last.ObservedGeneration >= Generation;
            var created = observed ? service.StatusReplicas : service.Created.Count;
            var started = observed ? service.StatusRunning : service.Started.Count;
            var healthy = observed ? service.StatusHealthy : service.Healthy.Count;
            var d = service.Desired;
            lines.Add(new(service.Name,
                $"{service.Name.PadRight(width)}   {service.ImageStage,-14}   created {created}/{d}   started {started}/{d}   healthy {healthy}/{d}"));
        }
        return lines;
    }

    /// <summary>Null while the rollout is still going; otherwise whether it reached Running or Failed for this generation.</summary>
    public RolloutOutcome? Outcome()
    {
        if (Last is not { } detail || detail.ObservedGeneration < Generation)
        {
            return null;
        }
        return detail.Phase switch
        {
            AppPhase.Running => new RolloutOutcome(true, null),
            AppPhase.Failed => new RolloutOutcome(false, detail.Message ?? detail.Status.Message ?? "the server gave no reason"),
            _ => null,
        };
    }

    private ServiceRolloutState Service(string name)
    {
        if (!_services.TryGetValue(name, out var service))
        {
            service = new ServiceRolloutState(name);
            _services[name] = service;
        }
        return service;
    }
}
