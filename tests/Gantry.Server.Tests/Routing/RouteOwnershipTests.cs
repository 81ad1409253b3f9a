using Gantry.Compose.XGantry;
using Gantry.Model;
using Gantry.Server.Routing;

namespace Gantry.Server.Tests.Routing;

public sealed class RouteOwnershipTests
{
    private static ServiceSpec Service(string name, string xGantry) => GantryExtension.Resolve(new ServiceSpec
    {
        Name = name,
        Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = xGantry },
    }, []);

    private static AppSpec App(string name, params ServiceSpec[] services) => new() { Name = name, Services = services };

    private static AppSpec Routed(string name, string host, string? path = null, string entrypoint = "external") =>
        App(name, Service("web", $$"""{"host":"{{host}}","port":8080{{(path is null ? "" : $",\"path\":\"{path}\"")}},"entrypoint":"{{entrypoint}}"}"""));

    [Fact]
    public void Check_HostAnotherAppRoutes_ConflictNamesHostAndOwner()
    {
        var conflict = Assert.Single(RouteOwnership.Check(Routed("b", "x.example.com"), [Routed("a", "x.example.com")]));

        Assert.Equal("a", conflict.Owner.App);
        Assert.Equal("b", conflict.Claim.App);
        var message = conflict.ToString();
        Assert.StartsWith("services.web.x-gantry: ", message, StringComparison.Ordinal);
        Assert.Contains("'x.example.com'", message, StringComparison.Ordinal);
        Assert.Contains("app 'a'", message, StringComparison.Ordinal);
        Assert.Contains("remove 'a'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X.Example.COM")]
    [InlineData("x.example.com.")]
    public void Check_SameHostSpelledOtherwise_StillAConflict(string host)
    {
        Assert.Single(RouteOwnership.Check(Routed("b", host), [Routed("a", "x.example.com")]));
    }

    [Fact]
    public void Check_SamePathSpelledOtherwise_StillAConflict()
    {
        var conflict = Assert.Single(RouteOwnership.Check(Routed("b", "x.example.com", "/API/"), [Routed("a", "x.example.com", "/api")]));

        Assert.Contains("path '/API/'", conflict.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OtherPathOrEntrypointOrHost_NoConflict()
    {
        AppSpec[] others = [Routed("a", "x.example.com")];

        Assert.Empty(RouteOwnership.Check(Routed("b", "x.example.com", "/api"), others));
        Assert.Empty(RouteOwnership.Check(Routed("b", "x.example.com", entrypoint: "internal"), others));
        Assert.Empty(RouteOwnership.Check(Routed("b", "y.example.com"), others));
    }

    [Fact]
    public void Check_RedeployOfTheOwner_NoConflict()
    {
        Assert.Empty(RouteOwnership.Check(Routed("a", "x.example.com"), [Routed("a", "x.example.com"), Routed("c", "c.example.com")]));
    }

    [Fact]
    public void Check_TwoServicesOfOneAppClaimTheSameHost_ConflictNamesTheOtherService()
    {
        var app = App("a", Service("web", """{"host":"x.example.com","port":80}"""), Service("api", """{"host":"x.example.com","port":9000}"""));

        var conflict = Assert.Single(RouteOwnership.Check(app, []));

        Assert.Equal("api", conflict.Claim.Service);
        Assert.Equal("web", conflict.Owner.Service);
        Assert.Contains("service 'web' of this app", conflict.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneOfSeveralHostsTaken_OnlyThatOneReported()
    {
        var claimant = App("b", Service("web", """{"hosts":["b.example.com","x.example.com"],"port":80}"""));

        var conflict = Assert.Single(RouteOwnership.Check(claimant, [Routed("a", "x.example.com")]));

        Assert.Equal("x.example.com", conflict.Claim.Host);
    }
}
