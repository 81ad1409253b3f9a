using Gantry.Model;
using Gantry.Model.Environments;
using Gantry.Model.Routing;

namespace Gantry.Model.Tests;

public sealed class PreviewNamesTests
{
    [Theory]
    [InlineData("feature/login", "feature-login")]
    [InlineData("Feature/Login_Form", "feature-login-form")]
    [InlineData("--a//b--", "a-b")]
    [InlineData("dependabot/npm_and_yarn/lodash-4.17.21-and-something-much-longer", "dependabot-npm-and-yarn-lodash-4-17-21-a")]
    public void HostLabel_IsTheBranchAsOneDnsLabel(string branch, string label) =>
        Assert.Equal(label, PreviewNames.HostLabel(branch));

    [Fact]
    public void HostLabel_NothingUsable_IsNamedByTheBranchsHash()
    {
        Assert.Matches("^branch-[0-9a-f]{6}$", PreviewNames.HostLabel("///"));
        Assert.NotEqual(PreviewNames.HostLabel("_"), PreviewNames.HostLabel("."));
    }

    [Fact]
    public void Environment_IsAValidEnvironmentNameAndTellsSimilarBranchesApart()
    {
        foreach (var branch in new[] { "feature/login", "feature-login", "FEATURE/LOGIN", "a", "///", "release/2026.12-very-long-branch-name-indeed" })
        {
            var environment = PreviewNames.Environment(branch);
            Assert.True(EnvironmentNames.IsValid(environment), environment);
            Assert.StartsWith(PreviewNames.Prefix, environment, StringComparison.Ordinal);
        }
        Assert.NotEqual(PreviewNames.Environment("feature/login"), PreviewNames.Environment("feature-login"));
        Assert.Equal(PreviewNames.Environment("feature/login"), PreviewNames.Environment("feature/login"));
        Assert.StartsWith("pvfeaturelogin", PreviewNames.Environment("feature/login"), StringComparison.Ordinal);
    }

    [Fact]
    public void Host_IsBranchAppDomain_WithTheAppsUnderscoreAsADash() =>
        Assert.Equal("feature-x.my-shop.preview.example.com", PreviewNames.Host("feature/x", "my_shop", ".Preview.Example.com."));

    [Fact]
    public void RewriteHosts_FirstHostBecomesThePreviewsOthersStayApart_PathsAndPortsKept()
    {
        var spec = new AppSpec
        {
            Name = "shop",
            Services =
            [
                new ServiceSpec { Name = "web", Routing = new GantryRouting([new GantryRoute(["shop.example.com", "www.shop.example.com"], null, 8080, "web", false)], null, "round-robin") },
                new ServiceSpec { Name = "api", Routing = new GantryRouting([new GantryRoute(["shop.example.com"], "/api", 9000, "web", true)], null, "round-robin") },
                new ServiceSpec { Name = "worker" },
            ],
        };

        var rewritten = PreviewNames.RewriteHosts(spec, "feature-x.shop.localhost");

        var web = rewritten.Services[0].Routing!.Routes.Single();
        Assert.Equal(["feature-x.shop.localhost", "www-feature-x.shop.localhost"], web.Hosts);
        Assert.Equal(8080, web.Port);
        var api = rewritten.Services[1].Routing!.Routes.Single();
        Assert.Equal(["feature-x.shop.localhost"], api.Hosts);
        Assert.Equal(("/api", 9000, true), (api.Path, api.Port, api.RedirectToHttps));
        Assert.Null(rewritten.Services[2].Routing);
    }
}
