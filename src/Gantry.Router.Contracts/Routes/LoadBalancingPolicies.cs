namespace Gantry.Router.Contracts.Routes;

/// <summary>The load-balancing policy names a cluster may use.</summary>
public static class LoadBalancingPolicies
{
    public const string PowerOfTwoChoices = "p2c";
    public const string RoundRobin = "round-robin";
    public const string Weighted = "weighted";
}
