using Gantry.Model;

namespace Gantry.Model.Tests;

public class NamesTests
{
    [Theory]
    [InlineData("hello", true)]
    [InlineData("shop-2_eu", true)]
    [InlineData("Hello", false)]
    [InlineData("-web", false)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    public void IsValidAppName_Examples(string name, bool valid) => Assert.Equal(valid, Names.IsValidAppName(name));

    [Fact]
    public void Container_IsDeterministicFromAppServiceSlotAndHash()
    {
        Assert.Equal("shop-web-3-0123abcd", Names.Container("shop", "web", 3, "0123abcd4567ef89"));
    }

    [Fact]
    public void Network_WithoutEngineName_IsScopedToTheApp()
    {
        Assert.Equal("shop_default", Names.Network("shop", new NetworkSpec("default")));
        Assert.Equal("shared", Names.Network("shop", new NetworkSpec("default") { EngineName = "shared" }));
    }
}
