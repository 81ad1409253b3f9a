using Gantry.Compose.XGantry;
using Gantry.Model;
using Gantry.Model.Status;
using Gantry.Router.Contracts.Routes;
using Gantry.Server.Routing;

namespace Gantry.Server.Tests.Routing;

public sealed class RouteTableBuilderTests
{
    private const string Routed = """{"host":"shop.example.com","port":8080}""";

    private static AppSpec App(string name = "shop", string? xGantry = Routed, string service = "web") => new()
    {
        Name = name,
        Services =
        [
            // As the compose loader hands it over: x-gantry resolved into the typed fields.
            GantryExtension.Resolve(new ServiceSpec
            {
                Name = service,
                Extensions = xGantry is null
                    ? new SortedDictionary<string, string>(StringComparer.Ordinal)
                    : new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = xGantry },
            }, []),
        ],
    };

    private static AppStatus Status(params ReplicaStatus[] replicas) =>
        new() { Services = [new ServiceStatus("web") { Replicas = replicas }] };

    private static ReplicaStatus Replica(int slot, string hash, string? traffic, string state = "running", string health = "healthy", string? ip = null, int? weight = null) =>
        new($"shop-web-{slot}-{hash}", "web", slot)
        {
            SpecHash = hash,
            State = state,
            Health = health,
            IpAddress = ip ?? $"10.0.0.{slot + 10}",
            Traffic = traffic,
            Weight = weight,
        };

    private static ClusterSpec SingleCluster(RouteTableSpec table) => Assert.Single(table.Clusters);

    private static Dictionary<string, int> Weights(RouteTableSpec table) =>
        SingleCluster(table).Destinations.ToDictionary(d => d.Id, d => d.Weight, StringComparer.Ordinal);

    [Fact]
    public void Build_ServiceScalingToZero_ClusterAsksTheRoutersToHoldAndWake()
    {
        var zero = App() with { Services = [App().Services[0] with { Autoscale = new Gantry.Model.Autoscaling.AutoscaleSpec { Min = 0, Max = 3, Idle = TimeSpan.FromMinutes(10) } }] };
        var one = App() with { Services = [App().Services[0] with { Autoscale = new Gantry.Model.Autoscaling.AutoscaleSpec { Min = 1, Max = 3 } }] };

        var woken = SingleCluster(RouteTableBuilder.Build([(zero, Status())]));

        Assert.Empty(woken.Destinations);
        Assert.Equal(new WakeSpec("shop", "web"), woken.Wake);
        Assert.Equal(WakeSpec.DefaultTimeout, woken.Wake!.Timeout);
        Assert.Null(SingleCluster(RouteTableBuilder.Build([(one, Status())])).Wake);
        Assert.Null(SingleCluster(RouteTableBuilder.Build([(App(), Status())])).Wake);
    }

    [Fact]
    public void Build_LiveReplicas_RoutedAtFullWeightWithReleaseLabels()
    {
        var table = RouteTableBuilder.Build([(App(), Status(Replica(1, "aaa", TrafficRole.Live), Replica(2, "aaa", TrafficRole.Live)))]);

        var route = Assert.Single(table.Routes);
        Assert.Equal("shop-web-0", route.Id);
        Assert.Equal(["shop.example.com"], route.Hosts);
        Assert.Equal("shop-web-8080", route.ClusterId);
        var cluster = SingleCluster(table);
        Assert.Equal("shop-web-8080", cluster.Id);
        Assert.Null(cluster.StickyCookie);
        Assert.Collection(cluster.Destinations,
            d =>
            {
                Assert.Equal("shop-web-1-aaa", d.Id);
                Assert.Equal("http://10.0.0.11:8080", d.Address);
                Assert.Equal(100, d.Weight);
                Assert.Equal("aaa", d.Labels["release"]);
                Assert.Equal("shop", d.Labels["app"]);
                Assert.Equal("web", d.Labels["service"]);
                Assert.Equal("shop-web-1-aaa", d.Labels["replica"]);
            },
            d => Assert.Equal(("shop-web-2-aaa", 100), (d.Id, d.Weight)));
        Assert.Equal(["shop-web-1-aaa", "shop-web-2-aaa"], RouteTableBuilder.RoutedReplicas(table).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_StagedAndWarmRunning_PresentAtWeightZeroButNotRouted()
    {
        var table = RouteTableBuilder.Build([(App(), Status(
            Replica(1, "new", TrafficRole.Staged),
            Replica(1, "old", TrafficRole.Live),
            Replica(1, "older", TrafficRole.Warm)))]);

        Assert.Equal(new Dictionary<string, int> { ["shop-web-1-old"] = 100, ["shop-web-1-new"] = 0, ["shop-web-1-older"] = 0 }, Weights(table));
        Assert.Equal(["shop-web-1-old"], RouteTableBuilder.RoutedReplicas(table));
        Assert.Equal(["shop-web-1-new", "shop-web-1-old", "shop-web-1-older"], RouteTableBuilder.PresentReplicas(table).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_StagedNotRunningOrWithoutAddress_Absent()
    {
        var table = RouteTableBuilder.Build([(App(), Status(
            Replica(1, "live", TrafficRole.Live),
            Replica(1, "created", TrafficRole.Staged, state: "created"),
            Replica(2, "noip", TrafficRole.Staged, ip: "")))]);

        Assert.Equal(["shop-web-1-live"], RouteTableBuilder.PresentReplicas(table));
    }

    [Fact]
    public void Build_DrainingReplica_Absent()
    {
        var table = RouteTableBuilder.Build([(App(), Status(Replica(1, "new", TrafficRole.Live), Replica(1, "old", TrafficRole.Draining)))]);

        Assert.Equal(["shop-web-1-new"], RouteTableBuilder.PresentReplicas(table));
    }

    [Fact]
    public void Build_LiveReplicaWithoutAddress_Absent()
    {
        var table = RouteTableBuilder.Build([(App(), Status(Replica(1, "aaa", TrafficRole.Live, ip: "")))]);

        Assert.Empty(SingleCluster(table).Destinations);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    public void Build_CanaryStep_SplitsTrafficByStepAndSetsStickyCookie(int percent)
    {
        var table = RouteTableBuilder.Build([(App(), Status(
            Replica(1, "old", TrafficRole.Live),
            Replica(2, "old", TrafficRole.Live),
            Replica(1, "new", TrafficRole.Canary, weight: percent),
            Replica(2, "new", TrafficRole.Canary, weight: percent)))]);

        var cluster = SingleCluster(table);
        var canary = cluster.Destinations.Where(d => d.Labels["release"] == "new").Sum(d => d.Weight);
        var live = cluster.Destinations.Where(d => d.Labels["release"] == "old").Sum(d => d.Weight);
        Assert.Equal(percent / 100.0, canary / (double)(canary + live), 3);
        Assert.Equal("gantry-shop-web", cluster.StickyCookie);
        Assert.Equal(4, RouteTableBuilder.RoutedReplicas(table).Count);
    }

    [Fact]
    public void Build_CanaryUnevenGroups_SharesStillFollowStep()
    {
        // Three live replicas against one canary at 10%: each group's total, not each replica, carries the share.
        var table = RouteTableBuilder.Build([(App(), Status(
            Replica(1, "old", TrafficRole.Live),
            Replica(2, "old", TrafficRole.Live),
            Replica(3, "old", TrafficRole.Live),
            Replica(1, "new", TrafficRole.Canary, weight: 10)))]);

        var weights = Weights(table);
        var total = weights.Values.Sum();
        Assert.Equal(0.10, weights["shop-web-1-new"] / (double)total, 3);
        Assert.Equal(3000, weights["shop-web-1-old"]);
    }

    [Fact]
    public void Build_CanaryAtHundredPercent_OldReleaseNotRouted()
    {
        var table = RouteTableBuilder.Build([(App(), Status(Replica(1, "old", TrafficRole.Live), Replica(1, "new", TrafficRole.Canary, weight: 100)))]);

        Assert.Equal(["shop-web-1-new"], RouteTableBuilder.RoutedReplicas(table));
        Assert.Equal(2, RouteTableBuilder.PresentReplicas(table).Count);
    }

    [Theory]
    [InlineData("running", "healthy", true)]
    [InlineData("running", "none", true)]
    [InlineData("running", "starting", false)]
    [InlineData("running", "unhealthy", false)]
    [InlineData("exited", "none", false)]
    public void Build_StatusWithoutTrafficRoles_RoutesReadyReplicas(string state, string health, bool routed)
    {
        var table = RouteTableBuilder.Build([(App(), Status(Replica(1, "aaa", traffic: null, state, health)))]);

        Assert.Equal(routed, RouteTableBuilder.RoutedReplicas(table).Contains("shop-web-1-aaa"));
    }

    [Fact]
    public void Build_ServiceWithoutRoutes_NoClusterOrRoute()
    {
        var table = RouteTableBuilder.Build([(App(xGantry: null), Status(Replica(1, "aaa", TrafficRole.Live)))]);

        Assert.Empty(table.Routes);
        Assert.Empty(table.Clusters);
    }

    [Fact]
    public void Build_AppsInAnyOrder_SameTable()
    {
        var a = (App("alpha"), Status());
        var b = (App("beta"), Status(Replica(1, "aaa", TrafficRole.Live)));

        var one = RouteTableBuilder.Build([a, b]);
        var two = RouteTableBuilder.Build([b, a]);

        Assert.True(RouteTableBuilder.SameRouting(one, two));
        Assert.Equal(["alpha-web-8080", "beta-web-8080"], one.Clusters.Select(c => c.Id));
    }

    [Fact]
    public void ClusterOwners_RoutedServices_MapClusterIdToAppAndService()
    {
        var owners = RouteTableBuilder.ClusterOwners([App("shop"), App("blog", """{"routes":[{"host":"blog.example.com","port":80},{"host":"api.example.com","port":9000}]}""", "api"), App("batch", xGantry: null)]);

        Assert.Equal(3, owners.Count);
        Assert.Equal(("shop", "web"), owners["shop-web-8080"]);
        Assert.Equal(("blog", "api"), owners["blog-api-80"]);
        Assert.Equal(("blog", "api"), owners["blog-api-9000"]);
    }

    [Fact]
    public void Build_SecondAppClaimsAHost_OldestAppKeepsItWhateverTheNames()
    {
        var created = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        // "zeta" is older than "alpha": age decides, not the name; "third" routes its own host.
        (AppSpec, AppStatus, DateTimeOffset)[] apps =
        [
            (App("alpha"), Status(), created.AddMinutes(5)),
            (App("zeta"), Status(), created),
            (App("third", """{"host":"third.example.com","port":8080}"""), Status(), created.AddMinutes(9)),
        ];

        var table = RouteTableBuilder.Build(apps, out var leftOut);
        var reversed = RouteTableBuilder.Build(apps.Reverse(), out _);

        var owner = Assert.Single(table.Routes, r => r.Hosts.Contains("shop.example.com"));
        Assert.Equal("zeta-web-0", owner.Id);
        Assert.Contains(table.Routes, r => r.Id == "third-web-0");
        Assert.DoesNotContain(table.Routes, r => r.Id.StartsWith("alpha", StringComparison.Ordinal));
        var line = Assert.Single(leftOut);
        Assert.Contains("app 'alpha'", line, StringComparison.Ordinal);
        Assert.Contains("app 'zeta'", line, StringComparison.Ordinal);
        Assert.Empty(RouteTableValidator.Validate(table));
        Assert.True(RouteTableBuilder.SameRouting(table, reversed));
    }

    [Fact]
    public void Build_SecondAppShareOneOfItsHosts_KeepsItsOtherHosts()
    {
        var table = RouteTableBuilder.Build([
            (App("a"), Status(), DateTimeOffset.MinValue),
            (App("b", """{"hosts":["b.example.com","shop.example.com"],"port":8080}"""), Status(), DateTimeOffset.MaxValue)], out var leftOut);

        Assert.Equal(["b.example.com"], Assert.Single(table.Routes, r => r.Id == "b-web-0").Hosts);
        Assert.Single(leftOut);
        Assert.Empty(RouteTableValidator.Validate(table));
    }

    [Fact]
    public void Build_HostSpelledWithCaseAndTrailingDot_PublishedNormalised()
    {
        var table = RouteTableBuilder.Build([(App(xGantry: """{"host":"Shop.Example.COM.","port":8080}"""), Status())]);

        Assert.Equal(["shop.example.com"], Assert.Single(table.Routes).Hosts);
    }
}
