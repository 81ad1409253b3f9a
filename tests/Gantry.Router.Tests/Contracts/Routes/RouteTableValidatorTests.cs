using System.Text.Json;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Contracts.Routes;

public class RouteTableValidatorTests
{
    [Fact]
    public void Validate_ValidTable_NoErrors()
    {
        var table = Tables.Single("http://127.0.0.1:8080");
        Assert.Empty(RouteTableValidator.Validate(table));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsAllOfThem()
    {
        var table = new RouteTableSpec
        {
            Routes =
            [
                new RouteSpec { Id = "a", Entrypoint = "public", Hosts = ["bad host:80"], PathPrefix = "api", ClusterId = "missing" },
                new RouteSpec { Id = "a", Hosts = [], ClusterId = "" },
            ],
            Clusters =
            [
                new ClusterSpec
                {
                    Id = "c", LoadBalancing = "random",
                    Health = new HealthCheckSpec { Path = "healthz", Interval = TimeSpan.Zero, HealthyThreshold = 0 },
                    Destinations = [new DestinationSpec { Id = "d", Address = "tcp://x" }, new DestinationSpec { Id = "d", Address = "http://1.2.3.4:80/path", Weight = -1 }],
                },
                new ClusterSpec { Id = "c" },
            ],
        };

        var paths = RouteTableValidator.Validate(table).Select(e => e.Path).ToHashSet();

        string[] expected =
        [
            "routes[0].entrypoint", "routes[0].hosts[0]", "routes[0].pathPrefix", "routes[0].clusterId",
            "routes[1].id", "routes[1].hosts", "routes[1].clusterId",
            "clusters[0].loadBalancing", "clusters[0].health.path", "clusters[0].health.interval", "clusters[0].health.healthyThreshold",
            "clusters[0].destinations[0].address", "clusters[0].destinations[1].id", "clusters[0].destinations[1].address",
            "clusters[0].destinations[1].weight", "clusters[1].id",
        ];
        foreach (var path in expected)
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public void Validate_DuplicateHostAndPrefix_NamesTheOtherRoute()
    {
        var table = Tables.Table(1, [Tables.Route("one", "app", "app.test"), Tables.Route("two", "app", "app.test")], Tables.Cluster("app", "http://127.0.0.1:1"));
        var error = Assert.Single(RouteTableValidator.Validate(table));
        Assert.Equal("routes[1].hosts[0]", error.Path);
        Assert.Contains("\"one\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrip_PreservesTable()
    {
        var table = Tables.Single("http://127.0.0.1:8080", 7, c => c with { Health = new HealthCheckSpec { Path = "/healthz", Interval = TimeSpan.FromSeconds(3) } });
        var json = JsonSerializer.Serialize(table, RouteTableJsonContext.Default.RouteTableSpec);
        var back = JsonSerializer.Deserialize(json, RouteTableJsonContext.Default.RouteTableSpec)!;

        Assert.Contains("\"loadBalancing\":\"p2c\"", json, StringComparison.Ordinal);
        Assert.Contains("\"interval\":\"00:00:03\"", json, StringComparison.Ordinal);
        Assert.Equal(7, back.Version);
        Assert.Equal("app.test", back.Routes[0].Hosts[0]);
        Assert.Equal(TimeSpan.FromSeconds(3), back.Clusters[0].Health!.Interval);
        Assert.Equal(100, back.Clusters[0].Destinations[0].Weight);
    }

    [Fact]
    public void Json_OmittedFields_GetDocumentedDefaults()
    {
        const string json = """
            {"version":3,"routes":[{"id":"r","hosts":["a.test"],"clusterId":"c"}],
             "clusters":[{"id":"c","health":{"path":"/h"},"destinations":[{"id":"d","address":"http://127.0.0.1:1"}]}]}
            """;
        var table = JsonSerializer.Deserialize(json, RouteTableJsonContext.Default.RouteTableSpec)!;

        Assert.Empty(RouteTableValidator.Validate(table));
        Assert.Equal(Entrypoints.External, table.Routes[0].Entrypoint);
        Assert.Equal(LoadBalancingPolicies.PowerOfTwoChoices, table.Clusters[0].LoadBalancing);
        Assert.Equal(100, table.Clusters[0].Destinations[0].Weight);
        Assert.Equal(TimeSpan.FromSeconds(5), table.Clusters[0].Health!.Interval);
        Assert.Equal(2, table.Clusters[0].Health!.UnhealthyThreshold);
        Assert.Empty(table.Clusters[0].Destinations[0].Labels);
    }
}
