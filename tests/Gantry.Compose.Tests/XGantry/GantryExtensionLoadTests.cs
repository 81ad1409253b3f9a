using Gantry.Model.Releases;

namespace Gantry.Compose.Tests.XGantry;

/// <summary>x-gantry is read once, by the loader: typed fields on the service, and errors located at the key they are about.</summary>
public sealed class GantryExtensionLoadTests
{
    [Fact]
    public void Load_RoutedService_RoutingHealthAndReleaseResolved()
    {
        var web = TestLoad.Service("""
            services:
              web:
                image: shop:1
                ports: ["8080"]
                x-gantry:
                  host: Shop.Example.COM.
                  health: {path: /healthz, interval: 2s}
                  load-balancing: round-robin
                  rollback-window: 5m
                  redeploy-on-push: true
              worker:
                image: shop:1
            """);

        var route = Assert.Single(web.Routing!.Routes);
        Assert.Equal(["shop.example.com"], route.Hosts);
        Assert.Equal(8080, route.Port);
        Assert.Equal(("/healthz", TimeSpan.FromSeconds(2)), (web.Routing.Health!.Path, web.Routing.Health.Interval));
        Assert.Equal("round-robin", web.Routing.LoadBalancing);
        Assert.Equal((ReleaseStrategy.BlueGreen, TimeSpan.FromMinutes(5), true), (web.Release!.Strategy, web.Release.WarmFor, web.Release.Routed));
        Assert.True(web.RedeployOnPush);
    }

    [Fact]
    public void Load_ServiceWithoutExtension_RollingAndNotRouted()
    {
        var worker = TestLoad.Service("services:\n  worker:\n    image: shop:1\n", "worker");

        Assert.Null(worker.Routing);
        Assert.Equal(ReleaseStrategy.Rolling, worker.Release!.Strategy);
        Assert.False(worker.RedeployOnPush);
    }

    [Fact]
    public void Load_BadPortInARoute_ErrorAtThatKeysLine()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              web:
                image: shop:1
                x-gantry:
                  routes:
                    - host: shop.example.com
                      port: 8080
                    - host: api.example.com
                      port: 99999
            """));

        Assert.Equal("services.web.x-gantry.routes[1].port", error.Path);
        Assert.Equal((9, 17), (error.Line, error.Column)); // the value 99999
        Assert.Contains("1-65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_ErrorNamesItAndWhatXGantryTakes()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: shop:1\n    x-gantry:\n      hots: shop.example.com\n"));

        Assert.Equal("services.web.x-gantry.hots", error.Path);
        Assert.Equal(5, error.Line);
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains("host", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    [InlineData("service:vpn")]
    public void Load_RoutedServiceOutsideTheAppsNetworks_RefusedAtItsXGantry(string mode)
    {
        var result = TestLoad.Text($$"""
            services:
              vpn:
                image: vpn:1
              web:
                image: shop:1
                network_mode: "{{mode}}"
                x-gantry: {host: shop.example.com, port: 8080}
            """, hostPaths: null);

        var error = Assert.Single(result.Errors, e => e.Path == "services.web.x-gantry");
        Assert.Contains($"network_mode '{mode}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Line);
    }
}
