using System.Collections.Concurrent;
using System.Net;
using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.LoadBalancing;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.LoadBalancing;

public sealed class StickySplitTests
{
    private const string Cookie = "gantry-release";

    private static DestinationSpec Destination(string id, string address, string? release, int weight)
    {
        var labels = new Dictionary<string, string> { ["app"] = "shop" };
        if (release is not null)
        {
            labels["release"] = release;
        }

        return new DestinationSpec { Id = id, Address = address, Weight = weight, Labels = labels };
    }

    /// <summary>Release 7 on two replicas of weight 45 each, release 8 (the canary) on one of weight <paramref name="canaryWeight"/>.</summary>
    private static ClusterSpec Canary(string stable1, string stable2, string canary, int canaryWeight = 10, int stableWeight = 45, string? policy = null) => new()
    {
        Id = "app",
        StickyCookie = Cookie,
        LoadBalancing = policy ?? LoadBalancingPolicies.PowerOfTwoChoices,
        Destinations =
        [
            Destination("web-r7-1", stable1, "7", stableWeight),
            Destination("web-r7-2", stable2, "7", stableWeight),
            Destination("web-r8-1", canary, "8", canaryWeight),
        ],
    };

    private static ClusterState Compile(ClusterSpec cluster) =>
        RouteSnapshotBuilder.Build(Tables.Table(1, [Tables.Route("app", "app", "app.test")], cluster), null, new RouterMetrics(), TimeProvider.System)
            .Clusters["app"];

    private static string? ReleaseOf(DestinationState? destination) => destination?.Spec.Labels["release"];

    private static async Task<(string Body, string[] SetCookies)> GetAsync(TestRouter router, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, router.External + "/");
        request.Headers.Host = "app.test";
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"theme=dark; {Cookie}={cookie}; other=1");
        }

        using var response = await router.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToArray() : [];
        return (await response.Content.ReadAsStringAsync(), setCookies);
    }

    [Fact]
    public async Task Forward_TenNinetySplitOverTwoThousandCookies_CanaryGetsTenPercentWithinThreePoints()
    {
        await using var stable1 = await TestBackend.StartNamedAsync("stable");
        await using var stable2 = await TestBackend.StartNamedAsync("stable");
        await using var canary = await TestBackend.StartNamedAsync("canary");
        await using var router = await TestRouter.StartAsync(Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Canary(stable1.Address, stable2.Address, canary.Address)));
        var answers = new ConcurrentDictionary<int, string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var (body, setCookies) = await GetAsync(router, $"client-{i}");
            Assert.Empty(setCookies);
            answers[i] = body;
        });

        var canaryShare = answers.Values.Count(b => b == "canary") * 100.0 / answers.Count;
        Assert.InRange(canaryShare, 7.0, 13.0);
        Assert.True(stable1.Requests > 0 && stable2.Requests > 0, "the balancer spreads the stable group over both replicas");
        // Asked again, every client lands where it did the first time.
        foreach (var i in Enumerable.Range(0, 100))
        {
            Assert.Equal(answers[i], (await GetAsync(router, $"client-{i}")).Body);
        }
    }

    [Fact]
    public async Task Forward_NoCookie_SetsCookieThenSticksAndKeepsBackendCookies()
    {
        await using var stable = await TestBackend.StartAsync(async ctx =>
        {
            ctx.Response.Headers.Append("Set-Cookie", "session=s1; Path=/");
            await ctx.Response.WriteAsync("stable");
        });
        await using var canary = await TestBackend.StartAsync(async ctx =>
        {
            ctx.Response.Headers.Append("Set-Cookie", "session=c1; Path=/");
            await ctx.Response.WriteAsync("canary");
        });
        await using var router = await TestRouter.StartAsync(Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Canary(stable.Address, stable.Address, canary.Address, canaryWeight: 100, stableWeight: 50)));
        var groups = new HashSet<string>();

        // New clients until both groups have been seen (50/50: 40 clients all on one side would be a 1-in-2^39 fluke).
        for (var client = 0; client < 40 && groups.Count < 2; client++)
        {
            var (first, setCookies) = await GetAsync(router, cookie: null);
            var ours = Assert.Single(setCookies, c => c.StartsWith(Cookie + "=", StringComparison.Ordinal));
            Assert.Matches($"^{Cookie}=[0-9a-f]{{16}}; Path=/; HttpOnly; SameSite=Lax$", ours);
            Assert.Contains(setCookies, c => c.StartsWith("session=", StringComparison.Ordinal));
            var token = ours[(Cookie.Length + 1)..ours.IndexOf(';', StringComparison.Ordinal)];
            groups.Add(first);
            for (var again = 0; again < 5; again++)
            {
                var (body, more) = await GetAsync(router, token);
                Assert.Equal(first, body);
                Assert.DoesNotContain(more, c => c.StartsWith(Cookie + "=", StringComparison.Ordinal));
            }
        }

        Assert.Equal(["canary", "stable"], groups.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pick_SameCookie_AlwaysSameGroupWhateverTheBalancer()
    {
        foreach (var policy in new[] { LoadBalancingPolicies.PowerOfTwoChoices, LoadBalancingPolicies.RoundRobin, LoadBalancingPolicies.Weighted })
        {
            var cluster = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80", canaryWeight: 30, policy: policy));
            Assert.True(cluster.IsSticky);
            Assert.Equal(["7", "8"], cluster.StickyGroups);
            for (var i = 0; i < 200; i++)
            {
                var hash = StickyCookie.Hash($"client-{i}");
                var first = ReleaseOf(cluster.Pick(0, hash));
                Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(first, ReleaseOf(cluster.Pick(0, hash))));
            }
        }
    }

    [Fact]
    public void Pick_CanaryWeightGrows_ClientsOnlyMoveIntoTheCanary()
    {
        var hashes = Enumerable.Range(0, 2000).Select(i => StickyCookie.Hash($"client-{i}")).ToArray();
        HashSet<int>? previous = null;
        foreach (var canaryWeight in new[] { 10, 50, 90 })
        {
            // Stable weight shrinks as the canary grows (10/90 → 50/50 → 90/10), as a canary rollout does.
            var cluster = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80", canaryWeight, stableWeight: (100 - canaryWeight) / 2));
            var inCanary = Enumerable.Range(0, hashes.Length).Where(i => ReleaseOf(cluster.Pick(0, hashes[i])) == "8").ToHashSet();
            Assert.InRange(inCanary.Count * 100.0 / hashes.Length, canaryWeight - 3, canaryWeight + 3);
            if (previous is not null)
            {
                Assert.Subset(inCanary, previous);
            }

            previous = inCanary;
        }
    }

    [Fact]
    public void Pick_CanaryUnavailableOrDrained_EveryClientGoesToTheOtherGroup()
    {
        var health = new HealthCheckSpec();
        var cluster = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80", canaryWeight: 90, stableWeight: 5) with { Health = health });
        // Only the stable replicas have passed their probe; the canary is still Unknown.
        cluster.Destinations[0].ReportProbe(passed: true, health);
        cluster.Destinations[1].ReportProbe(passed: true, health);
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal("7", ReleaseOf(cluster.Pick(0, StickyCookie.Hash($"c{i}")))));

        var drained = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80", canaryWeight: 0));
        Assert.True(drained.IsSticky);
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal("7", ReleaseOf(drained.Pick(0, StickyCookie.Hash($"c{i}")))));
    }

    [Fact]
    public void Pick_RetryExcludesFailedCanary_FallsBackToTheOtherGroup()
    {
        var cluster = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80", canaryWeight: 100, stableWeight: 1));
        var canaryClient = Enumerable.Range(0, 100).Select(i => StickyCookie.Hash($"c{i}")).First(h => ReleaseOf(cluster.Pick(0, h)) == "8");
        var canary = cluster.Pick(0, canaryClient);

        Assert.Equal("7", ReleaseOf(cluster.Pick(0, canaryClient, exclude: canary)));
    }

    [Fact]
    public void IsSticky_OneReleaseOrNoCookieName_NoSplitAndMissingLabelIsItsOwnGroup()
    {
        var oneRelease = Compile(new ClusterSpec
        {
            Id = "app", StickyCookie = Cookie,
            Destinations = [Destination("a", "http://10.0.0.1:80", "7", 100), Destination("b", "http://10.0.0.2:80", "7", 100)],
        });
        var noCookie = Compile(Canary("http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80") with { StickyCookie = null });
        var unlabelled = Compile(new ClusterSpec
        {
            Id = "app", StickyCookie = Cookie,
            Destinations = [Destination("a", "http://10.0.0.1:80", null, 100), Destination("b", "http://10.0.0.2:80", "8", 100)],
        });

        Assert.False(oneRelease.IsSticky);
        Assert.False(noCookie.IsSticky);
        Assert.True(unlabelled.IsSticky);
        Assert.Equal(["", "8"], unlabelled.StickyGroups);
    }

    [Fact]
    public void TryHashValue_CookieHeaders_FindsTheNamedCookieOnly()
    {
        Assert.True(StickyCookie.TryHashValue(new(["a=1; gantry-release=tok; b=2"]), Cookie, out var plain));
        Assert.True(StickyCookie.TryHashValue(new(["a=1", "gantry-release=\"tok\""]), Cookie, out var quotedSecondHeader));
        Assert.False(StickyCookie.TryHashValue(new(["xgantry-release=tok; gantry-release-old=tok"]), Cookie, out _));
        Assert.False(StickyCookie.TryHashValue(new(["gantry-release="]), Cookie, out _));
        Assert.False(StickyCookie.TryHashValue(default, Cookie, out _));

        Assert.Equal(StickyCookie.Hash("tok"), plain);
        Assert.Equal(plain, quotedSecondHeader);
        Assert.NotEqual(StickyCookie.Hash("tok"), StickyCookie.Hash("tol"));
    }

    [Fact]
    public void RouteTableJson_StickyCookieAndReleaseLabel_ReadAndOmittedWhenNull()
    {
        const string json = """{"version":3,"clusters":[{"id":"app","stickyCookie":"gantry-release","destinations":[{"id":"d","address":"http://10.0.0.1:80","labels":{"release":"8"}}]}]}""";

        var table = System.Text.Json.JsonSerializer.Deserialize(json, RouteTableJsonContext.Default.RouteTableSpec)!;
        var plain = System.Text.Json.JsonSerializer.Serialize(table with { Clusters = [table.Clusters[0] with { StickyCookie = null }] }, RouteTableJsonContext.Default.RouteTableSpec);

        Assert.Equal("gantry-release", table.Clusters[0].StickyCookie);
        Assert.Equal("8", table.Clusters[0].Destinations[0].Labels[ClusterState.ReleaseLabel]);
        Assert.DoesNotContain("stickyCookie", plain, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gantry-release", true)]
    [InlineData("GR_1.x", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("a=b", false)]
    [InlineData("a;b", false)]
    [InlineData("caf\u00e9", false)]
    public void Validate_StickyCookie_AcceptsOnlyCookieNames(string name, bool valid)
    {
        var table = Tables.Single("http://127.0.0.1:8080", cluster: c => c with { StickyCookie = name });

        var errors = RouteTableValidator.Validate(table);

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal("clusters[0].stickyCookie", error.Path);
            Assert.Contains($"\"{name}\"", error.Message, StringComparison.Ordinal);
        }
    }
}
