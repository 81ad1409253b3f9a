using Gantry.Cli.Output;

namespace Gantry.Cli.Tests.Output;

public sealed class SparklineTests
{
    [Fact]
    public void Render_Ramp_LowestToHighestBlock() =>
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([0, 1, 2, 3, 4, 5, 6, 7]));

    [Fact]
    public void Render_ScaledBetweenOwnMinAndMax() =>
        Assert.Equal("▁█▁", Sparkline.Render([100, 107, 100]));

    [Fact]
    public void Render_Gaps_Spaces() =>
        Assert.Equal("▁ █", Sparkline.Render([1, null, 2]));

    [Fact]
    public void Render_FlatZero_BottomAndFlatLevel_Middle()
    {
        Assert.Equal("▁▁▁", Sparkline.Render([0, 0, 0]));
        Assert.Equal("▄▄", Sparkline.Render([5, 5]));
    }

    [Fact]
    public void Render_NoValues_AllGaps() =>
        Assert.Equal("  ", Sparkline.Render([null, null]));
}
