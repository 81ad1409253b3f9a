namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// How many more replicas the resource guard can place, and the resource that limits it ("memory", "cpu"). The
/// autoscaler never asks for more than fits, so a refused scale-out is a decision with the numbers, not a failed deploy.
/// </summary>
public sealed record PlacementCapacity(int More, string LimitedBy);
