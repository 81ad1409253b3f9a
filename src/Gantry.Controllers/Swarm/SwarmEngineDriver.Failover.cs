using static Gantry.Controllers.Docker.EngineCalls;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Swarm;

namespace Gantry.Controllers.Swarm;

/// <summary>The driver's side of a node failover (docs/decisions/0031): the surge that brings a lost node's replicas back
/// before Swarm's restart delay, and the second wake that follows Swarm's node event.</summary>
public sealed partial class SwarmEngineDriver
{
    /// <summary>
    /// Raises the count of a service that is short of tasks just after a node was lost, and lowers it back once the service
    /// runs its own count (<see cref="FailoverSurge"/>). Each change is one update at the version read, so a pass that races
    /// another changes nothing (the next listing decides again). Returns whether a count changed.
    /// </summary>
    private async Task<bool> SurgeAsync(IReadOnlyList<SwarmService> services, IReadOnlyList<SwarmTask> tasks, IReadOnlyList<SwarmNode> nodes, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var justLost = nodes.Any(n => FailoverSurge.JustLost(n.Status.State, n.UpdatedAt, now));
        var changed = false;
        foreach (var service in services)
        {
            if (service.Spec.Mode.Replicated?.Replicas is not { } replicas)
            {
                continue;
            }
            var own = tasks.Where(t => t.ServiceId == service.Id).ToList();
            var decision = FailoverSurge.Decide(replicas, FailoverSurge.Of(service.Spec.Labels), own.Count, own.Count(t => t.Status.State == "running"), justLost);
            if (decision.Step == FailoverSurge.Step.None)
            {
                continue;
            }
            try
            {
                await docker.Services.UpdateAsync(service.Id, service.Version.Index, service.Spec with
                {
                    Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = decision.Replicas } },
                    Labels = FailoverSurge.With(service.Spec.Labels, decision.Surge),
                }, null, ct).ConfigureAwait(false);
                changed = true;
            }
            catch (DockerApiException e) when (e.IsConflict || e.DaemonMessage.Contains("out of sequence", StringComparison.Ordinal))
            {
                // Changed since it was listed (another pass, a scale): the next listing decides on what Swarm has then.
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException)
            {
                throw Translate(e, $"scale service {service.Spec.Name} to {decision.Replicas} after a node was lost");
            }
        }
        return changed;
    }

    /// <summary>The node event once more for each app, a second after it came.</summary>
    private async Task TellAgainAsync(System.Threading.Channels.ChannelWriter<EngineEvent> writer, IReadOnlyList<string> apps, string node, CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
            foreach (var app in apps)
            {
                writer.TryWrite(new EngineEvent("node", node, app, null, _time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
