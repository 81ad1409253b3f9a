namespace Gantry.Model.Api;

/// <summary>The reasons events carry; the CLI's deploy progress keys off these.</summary>
public static class EventReasons
{
    public const string DeployAccepted = "DeployAccepted";
    public const string DeployRefused = "DeployRefused";
    public const string ImageBuilding = "ImageBuilding";
    public const string ImageBuilt = "ImageBuilt";
    public const string ImagePulled = "ImagePulled";
    public const string ImageReady = "ImageReady";
    public const string ImageFailed = "ImageFailed";
    public const string NetworkCreated = "NetworkCreated";
    public const string VolumeCreated = "VolumeCreated";
    public const string ReplicaCreated = "ReplicaCreated";
    public const string ReplicaStarted = "ReplicaStarted";
    public const string ReplicaHealthy = "ReplicaHealthy";
    public const string ReplicaUnhealthy = "ReplicaUnhealthy";
    public const string ReplicaExited = "ReplicaExited";
    public const string ReplicaOomKilled = "ReplicaOomKilled";
    public const string ReplicaBackoff = "ReplicaBackoff";
    public const string ReplicaRemoved = "ReplicaRemoved";
    /// <summary>Replicas of a service were lost with a cluster node that is down or drained; the message names the node and them.</summary>
    public const string ReplicasLostWithNode = "ReplicasLostWithNode";
    /// <summary>A service that lost replicas with a node runs its desired count again; the message says on which nodes.</summary>
    public const string ReplicasRestored = "ReplicasRestored";
    public const string OrphanRemoved = "OrphanRemoved";
    public const string WaitingForDependency = "WaitingForDependency";
    public const string AppReady = "AppReady";
    public const string AppDegraded = "AppDegraded";
    public const string AppDeleted = "AppDeleted";
    public const string Scaled = "Scaled";
    /// <summary>The autoscaler changed a service's count; the message has the targets' numbers.</summary>
    public const string Autoscaled = "Autoscaled";
    /// <summary>The autoscaler wanted more replicas than it could run (at max, or the resource guard), once per episode.</summary>
    public const string AutoscaleLimited = "AutoscaleLimited";
    /// <summary>An alert rule started firing for the app; the message has the summary.</summary>
    public const string AlertFiring = "AlertFiring";
    /// <summary>An alert that was firing for the app is resolved.</summary>
    public const string AlertResolved = "AlertResolved";
    public const string EngineError = "EngineError";
    public const string ReleaseCreated = "ReleaseCreated";
    public const string TrafficSwitched = "TrafficSwitched";
    public const string ReplicaDraining = "ReplicaDraining";
    public const string RolloutFailed = "RolloutFailed";
    public const string RollbackStarted = "RollbackStarted";
    public const string AutoRollback = "AutoRollback";
}
