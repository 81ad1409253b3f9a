using System.Text;
using Gantry.Router.Forwarder;
using Gantry.Router.Upstream;

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
        var trace = TraceContext.Next("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", trace.TraceId);
        Assert.Equal("00", trace.Flags);
        Assert.NotEqual("b7ad6b7169203331", trace.SpanId);
        Assert.Matches("^[0-9a-f]{16}$", trace.SpanId);
        Assert.Equal($"00-0af7651916cd43dd8448eb211c80319c-{trace.SpanId}-00", trace.ToString());
    }

    [Fact]
    public void WriteTo_NewTrace_WritesTheFieldValueAsToStringSpellsIt()
    {
        var trace = TraceContext.Next(null);
        var head = new RequestHeadBuffer(16);
        try
        {
            trace.WriteTo(ref head);
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", trace.ToString());
            Assert.Equal(trace.ToString(), Encoding.ASCII.GetString(head.Written.Span));
        }
        finally
        {
            head.Dispose();
        }
    }
}
