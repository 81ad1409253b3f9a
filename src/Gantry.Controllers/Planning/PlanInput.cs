using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;
using Gantry.Model.Status;

namespace Gantry.Controllers.Planning;

/// <summary>Everything the planner decides from: desired state, resolved images, observed containers, history and the time.</summary>
public sealed record PlanInput(AppSpec App, long Generation, IReadOnlyList<ObservedContainer> Observed, DateTimeOffset Now)
{
    /// <summary>Resolved image id per service name; a service missing here cannot create replicas yet.</summary>
    public IReadOnlyDictionary<string, string> ImageIds { get; init; } = new Dictionary<string, string>();

    /// <summary>The previous status's replicas by name: restart counts and backoff survive a control-plane restart.</summary>
    public IReadOnlyDictionary<string, ReplicaStatus> PreviousReplicas { get; init; } = new Dictionary<string, ReplicaStatus>();

    public ResourceDefaults Defaults { get; init; } = new();

    public RestartBackoff Backoff { get; init; } = new();

    /// <summary>The previous status of each service (live and warm release, rollout progress), by service name.</summary>
    public IReadOnlyDictionary<string, ServiceStatus> PreviousServices { get; init; } = new Dictionary<string, ServiceStatus>();

    /// <summary>Whether every router has stopped sending to a replica and finished its requests (the router feedback); a
    /// replica of a routed service is stopped only once this says so or its drain timeout passed.</summary>
    public Func<string, bool> IsDrained { get; init; } = static _ => true;

    /// <summary>
    /// True on a Swarm, where a smaller count stops the tasks Swarm picks rather than the replica the plan drained: a routed
    /// service then moves as a whole set (blue-green) even when it asks for rolling, since only a whole set can be drained
    /// exactly before it stops (docs/decisions/0034).
    /// </summary>
    public bool EngineChoosesScaleIn { get; init; }

    /// <summary>Whether every router has the replica in its table and its health check passed there; a blue-green swap waits for it.</summary>
    public Func<string, bool> IsRoutable { get; init; } = static _ => true;
}
