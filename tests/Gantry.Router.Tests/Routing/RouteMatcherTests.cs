using Gantry.Router.Contracts.Routes;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Routing;

public class RouteMatcherTests
{
    private static RouteSnapshot Build(params RouteSpec[] routes) =>
        RouteSnapshotBuilder.Build(Tables.Table(1, routes, Tables.Cluster("c", "http://127.0.0.1:1")), null, new RouterMetrics(), TimeProvider.System);

    [Theory]
    [InlineData("app.example.com", "/", "exact")]
    [InlineData("APP.example.com", "/x", "exact")]
    [InlineData("app.example.com", "/api", "exact-api")]
    [InlineData("app.example.com", "/api/v1", "exact-api")]
    [InlineData("app.example.com", "/apix", "exact")]
    [InlineData("other.example.com", "/", "wild")]
    [InlineData("a.b.example.com", "/", "wild-b")]
    [InlineData("x.y.b.example.com", "/", "wild-b")]
    [InlineData("example.com", "/", "any")]
    [InlineData("unrelated.org", "/", "any")]
    [InlineData("app.example.com.", "/", "exact")]
    public void Match_HostAndPath_PicksMostSpecific(string host, string path, string expected)
    {
        var snapshot = Build(
            Tables.Route("exact", "c", "app.example.com"),
            Tables.Route("exact-api", "c", "app.example.com", "/api/"),
            Tables.Route("wild", "c", "*.example.com"),
            Tables.Route("wild-b", "c", "*.b.example.com"),
            Tables.Route("any", "c", "*"));

        Assert.Equal(expected, snapshot.External.Match(host, path)?.Id);
    }

    [Fact]
    public void Match_PrefixOnlyRoute_FallsThroughToWildcard()
    {
        var snapshot = Build(Tables.Route("exact-api", "c", "app.example.com", "/api"), Tables.Route("wild", "c", "*.example.com"));
        Assert.Equal("wild", snapshot.External.Match("app.example.com", "/web")?.Id);
        Assert.Null(snapshot.External.Match("example.org", "/"));
    }

    [Fact]
    public void Match_InternalRoute_NotOnExternalMatcher()
    {
        var snapshot = Build(Tables.Route("in", "c", "svc.internal", entrypoint: Entrypoints.Internal));
        Assert.Null(snapshot.External.Match("svc.internal", "/"));
        Assert.Equal("in", snapshot.Internal.Match("svc.internal", "/")?.Id);
    }
}
