using Gantry.Model.Environments;

namespace Gantry.Model.Tests;

/// <summary>Which gates may be set (docs/decisions/0032): a known mode, a valid target, never itself, never a loop.</summary>
public sealed class PromotionGateTests
{
    private static readonly Dictionary<string, PromotionGate> None = [];

    [Fact]
    public void Check_ChainThatEnds_Accepted()
    {
        Assert.Null(PromotionGate.Check("shop", "staging", new PromotionGate("production", PromotionGate.Auto), None));
        var chain = new Dictionary<string, PromotionGate> { ["qa"] = new("production", PromotionGate.Approval) };
        Assert.Null(PromotionGate.Check("shop", "staging", new PromotionGate("qa", PromotionGate.Auto), chain));
    }

    [Theory]
    [InlineData("staging", "staging", "auto", "'staging' cannot promote to itself")]
    [InlineData("staging", "production", "sometimes", "mode 'sometimes' is not a gate: use auto")]
    [InlineData("staging", "Prod", "auto", "to: 'Prod' is not a valid environment name")]
    public void Check_Unusable_NamesWhy(string from, string to, string mode, string expected) =>
        Assert.StartsWith(expected, PromotionGate.Check("shop", from, new PromotionGate(to, mode), None));

    [Fact]
    public void Check_Loop_RefusedWithTheChain()
    {
        var gates = new Dictionary<string, PromotionGate>
        {
            ["staging"] = new("qa", PromotionGate.Auto),
            ["qa"] = new("production", PromotionGate.Auto),
        };
        Assert.Equal("'production' -> 'staging' would make a loop (production -> staging -> qa -> production): a chain of gates ends in one environment",
            PromotionGate.Check("shop", "production", new PromotionGate("staging", PromotionGate.Approval), gates));
    }
}
