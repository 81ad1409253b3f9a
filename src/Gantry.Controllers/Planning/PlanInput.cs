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
}
