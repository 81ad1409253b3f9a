using Gantry.Router.Forwarder;

namespace Gantry.Router.Tests.Forwarder;

public class TraceContextTests
{
    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", false)]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", false)]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)]
    [InlineData("garbage", false)]
    [InlineData(null, false)]
    public void TryParse_Variants_AcceptsOnlyValidW3C(string? value, bool valid)
    {
        Assert.Equal(valid, TraceContext.TryParse(value, out _, out _));
    }

    [Fact]
    public void Next_ValidParent_KeepsTraceIdAndFlagsWithNewSpan()
    {
        var (parent, traceId, spanId) = TraceContext.Next("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", traceId);
        Assert.Equal($"00-{traceId}-{spanId}-00", parent);
        Assert.NotEqual("b7ad6b7169203331", spanId);
    }
}
