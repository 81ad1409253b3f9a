using Gantry.Router.Clusters;

namespace Gantry.Router.LoadBalancing;

/// <summary>Power of two choices: sample two distinct destinations at random and take the one with fewer requests in flight.</summary>
/// <remarks>Gets most of least-connections' benefit without scanning every destination or sharing a hot counter.</remarks>
public sealed class PowerOfTwoChoicesLoadBalancer : ILoadBalancer
{
    public DestinationState Pick(ReadOnlySpan<DestinationState> available, ReadOnlySpan<int> weights)
    {
        if (available.Length == 1)
        {
            return available[0];
        }

        var first = Random.Shared.Next(available.Length);
        var second = Random.Shared.Next(available.Length - 1);
        if (second >= first)
        {
            second++;
        }

        var a = available[first];
        var b = available[second];
        return b.InFlight < a.InFlight ? b : a;
    }
}
