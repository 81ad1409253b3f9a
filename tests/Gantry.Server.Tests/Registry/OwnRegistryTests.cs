using Gantry.Server.Registry;

namespace Gantry.Server.Tests.Registry;

/// <summary>The names the server's registry answers to, the cluster's registry address among them (docs/decisions/0030).</summary>
public sealed class OwnRegistryTests
{
    private static readonly ServerOptions Lab = new() { Listen = "http://127.0.0.1:7071", RegistryAddress = "10.99.0.1:7071" };

    [Theory]
    [InlineData("127.0.0.1:7071/team/app:1", "127.0.0.1:7071/")]
    [InlineData("localhost:7071/team/app:1", "localhost:7071/")]
    [InlineData("10.99.0.1:7071/default/shop-web@sha256:00", "10.99.0.1:7071/")]
    [InlineData("10.99.0.1:7072/default/shop-web:r1", null)]
    [InlineData("registry.example.com/team/app:1", null)]
    public void PrefixOf_ListenAndRegistryAddress_Recognised(string image, string? expected) =>
        Assert.Equal(expected, OwnRegistry.PrefixOf(image, Lab));

    [Fact]
    public void ListenUrls_NoRegistryAddressOrNotThisMachines_OnlyListen()
    {
        Assert.Equal("http://127.0.0.1:7071", OwnRegistry.ListenUrls(Lab with { RegistryAddress = null }));
        // 192.0.2.0/24 is documentation space: no interface of this machine holds it (a proxy in front, say).
        Assert.Equal("http://127.0.0.1:7071", OwnRegistry.ListenUrls(Lab with { RegistryAddress = "192.0.2.7:5000" }));
        Assert.Equal("http://127.0.0.1:7071", OwnRegistry.ListenUrls(Lab with { RegistryAddress = "registry.example.com" }));
        Assert.Equal("http://0.0.0.0:7071", OwnRegistry.ListenUrls(Lab with { Listen = "http://0.0.0.0:7071" }));
    }

    [Fact]
    public void ListenUrls_AnAddressOfThisMachineListenDoesNotCover_ListenedOnToo() =>
        Assert.Equal("http://127.0.0.1:7071;http://127.0.0.1:7072", OwnRegistry.ListenUrls(Lab with { RegistryAddress = "127.0.0.1:7072" }));

    [Fact]
    public void ListenUrls_SeveralListenUrls_AnyOfThemCovers()
    {
        // --listen 'A;B' as Kestrel takes it (the lab listens on loopback and its bridge; docs/decisions/0029).
        var both = Lab with { Listen = "http://127.0.0.1:7071;http://127.0.0.1:7072", RegistryAddress = "127.0.0.1:7072" };
        Assert.Equal("http://127.0.0.1:7071;http://127.0.0.1:7072", OwnRegistry.ListenUrls(both));
        Assert.Equal("127.0.0.1:7072/", OwnRegistry.PrefixOf("127.0.0.1:7072/team/app:1", both with { RegistryAddress = null }));
        Assert.Equal("http://0.0.0.0:7070;http://127.0.0.1:7072", OwnRegistry.ListenUrls(Lab with { Listen = "http://0.0.0.0:7070", RegistryAddress = "127.0.0.1:7072" }));
    }
}
