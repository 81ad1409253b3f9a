namespace Gantry.LoadGen.Tests;

public sealed class PhaseMarkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static readonly PhaseMark[] Marks = [new(T0.AddSeconds(1), "steady"), new(T0.AddSeconds(2), "deploy 1"), new(T0.AddSeconds(3), "steady")];

    [Theory]
    [InlineData(0.5, "start")]
    [InlineData(1.0, "steady")]
    [InlineData(1.999, "steady")]
    [InlineData(2.0, "deploy 1")]
    [InlineData(9.0, "steady")]
    public void LabelAt_Time_ReturnsLatestMarkAtOrBefore(double seconds, string expected)
    {
        Assert.Equal(expected, PhaseMark.LabelAt(Marks, T0.AddSeconds(seconds), "start"));
    }

    [Fact]
    public void LabelAt_NoMarks_ReturnsInitialLabel()
    {
        Assert.Equal("start", PhaseMark.LabelAt([], T0, "start"));
    }
}
