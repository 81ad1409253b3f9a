using Gantry.Router.Contracts.Routes;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Contracts.Routes;

public class RouteTableSanitizerTests
{
    [Fact]
    public void Sanitize_ValidTable_ReturnsTheSameInstance()
    {
        var table = Tables.Single("http://127.0.0.1:8080");

        var result = RouteTableSanitizer.Sanitize(table);

        Assert.Same(table, result.Accepted);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Sanitize_SecondRouteClaimsAHost_KeepsTheFirstAndEveryOtherRoute()
    {
        var table = Tables.Table(7,
            [Tables.Route("a-web-0", "a", "x.test"), Tables.Route("b-web-0", "b", "x.test"), Tables.Route("c-web-0", "c", "c.test")],
            Tables.Cluster("a", "http://127.0.0.1:1"), Tables.Cluster("b", "http://127.0.0.1:2"), Tables.Cluster("c", "http://127.0.0.1:3"));

        var result = RouteTableSanitizer.Sanitize(table);

        Assert.Equal(["a-web-0", "c-web-0"], result.Accepted.Routes.Select(r => r.Id));
        Assert.Equal(3, result.Accepted.Clusters.Count);
        Assert.Equal(7, result.Accepted.Version);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal("routes[1]", rejected.Path);
        Assert.Equal("b-web-0", rejected.Id);
        Assert.Contains("\"a-web-0\"", rejected.Reason, StringComparison.Ordinal);
        Assert.Empty(RouteTableValidator.Validate(result.Accepted));
    }

    [Fact]
    public void Sanitize_RejectedRouteHoldsAnotherHost_LaterRouteMayStillClaimIt()
    {
        // b is left out for its duplicate; its other host must not block c, which claims it after.
        var table = Tables.Table(1,
            [Tables.Route("a", "k", "x.test"), Tables.Route("b", "k", "x.test") with { Hosts = ["x.test", "y.test"] }, Tables.Route("c", "k", "y.test")],
            Tables.Cluster("k", "http://127.0.0.1:1"));

        var result = RouteTableSanitizer.Sanitize(table);

        Assert.Equal(["a", "c"], result.Accepted.Routes.Select(r => r.Id));
        Assert.Equal("b", Assert.Single(result.Rejected).Id);
    }

    [Fact]
    public void Sanitize_BadCluster_LeavesOutTheClusterAndItsRoutesOnly()
    {
        var table = Tables.Table(1,
            [Tables.Route("good", "good", "good.test"), Tables.Route("bad", "bad", "bad.test")],
            Tables.Cluster("good", "http://127.0.0.1:1"), Tables.Cluster("bad", "http://127.0.0.1:2") with { LoadBalancing = "random" });

        var result = RouteTableSanitizer.Sanitize(table);

        Assert.Equal(["good"], result.Accepted.Routes.Select(r => r.Id));
        Assert.Equal(["good"], result.Accepted.Clusters.Select(c => c.Id));
        Assert.Equal(["clusters[1]", "routes[1]"], result.Rejected.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Empty(RouteTableValidator.Validate(result.Accepted));
    }

    [Fact]
    public void Sanitize_BadDestination_DroppedFromItsClusterWhichStays()
    {
        var table = Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Tables.Cluster("app", "http://127.0.0.1:1", "tcp://nope", "http://127.0.0.1:3"));

        var result = RouteTableSanitizer.Sanitize(table);

        Assert.Equal(["app-0", "app-2"], result.Accepted.Clusters[0].Destinations.Select(d => d.Id));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal("clusters[0].destinations[1]", rejected.Path);
        Assert.Equal("app-1", rejected.Id);
        Assert.Single(result.Accepted.Routes);
    }
}
