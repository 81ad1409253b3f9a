namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// One replica's resource use at one moment, as fractions of its own limits (0.5 = half its CPU limit), so replicas
/// of any size average into one number per service. Null where the replica has no such limit or the engine gave no figure.
/// </summary>
public readonly record struct ReplicaUsage(DateTimeOffset At, string Replica, double? Cpu, double? Memory);
