using System.Net;
using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Health;

public class HealthTests
{
    private static readonly HealthCheckSpec FastCheck = new()
    {
        Path = "/healthz",
        Interval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromMilliseconds(500),
        HealthyThreshold = 1,
        UnhealthyThreshold = 1,
    };

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException("timed out waiting until " + what);
    }

    [Fact]
    public async Task ActiveCheck_FailingThenRecovering_EjectsAndRestoresDestination()
    {
        var healthy = true;
        await using var flaky = await TestBackend.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/healthz")
            {
                ctx.Response.StatusCode = Volatile.Read(ref healthy) ? 200 : 500;
                return;
            }

            await ctx.Response.WriteAsync("flaky");
        });
        await using var steady = await TestBackend.StartNamedAsync("steady");
        var cluster = Tables.Cluster("app", flaky.Address, steady.Address) with { Health = FastCheck, LoadBalancing = LoadBalancingPolicies.RoundRobin };
        await using var router = await TestRouter.StartAsync(Tables.Table(1, [Tables.Route("app", "app", "app.test")], cluster));
        var states = router.Router.Routing.Current.Clusters["app"].Destinations;

        await WaitUntilAsync(() => states.All(d => d.ActiveHealth == HealthState.Healthy), "both healthy");
        var bodies = await GetManyAsync(router, 6);
        Assert.Contains("200 flaky", bodies);

        Volatile.Write(ref healthy, false);
        await WaitUntilAsync(() => states[0].ActiveHealth == HealthState.Unhealthy, "flaky unhealthy");
        Assert.All(await GetManyAsync(router, 6), b => Assert.Equal("200 steady", b));

        Volatile.Write(ref healthy, true);
        await WaitUntilAsync(() => states[0].ActiveHealth == HealthState.Healthy, "flaky healthy again");
        Assert.Contains("200 flaky", await GetManyAsync(router, 6));
    }

    [Fact]
    public async Task ActiveCheck_NewDestinationUnknown_NotRoutedUntilHealthy()
    {
        var ready = false;
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/healthz")
            {
                ctx.Response.StatusCode = Volatile.Read(ref ready) ? 200 : 503;
                return;
            }

            await ctx.Response.WriteAsync("app");
        });
        var table = Tables.Single(backend.Address, cluster: c => c with { Health = FastCheck });
        await using var router = await TestRouter.StartAsync(table);

        using (var response = await router.GetAsync("app.test"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Volatile.Write(ref ready, true);
        var state = router.Router.Routing.Current.Clusters["app"].Destinations[0];
        await WaitUntilAsync(() => state.ActiveHealth == HealthState.Healthy, "healthy");
        Assert.Equal("200 app", await router.GetStringAsync("app.test"));
    }

    [Fact]
    public async Task PassiveHealth_FiveHundredsBurst_EjectsThenReactivates()
    {
        var fail = true;
        await using var broken = await TestBackend.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = Volatile.Read(ref fail) ? 500 : 200;
            await ctx.Response.WriteAsync("broken");
        });
        await using var steady = await TestBackend.StartNamedAsync("steady");
        var cluster = Tables.Cluster("app", broken.Address, steady.Address) with
        {
            LoadBalancing = LoadBalancingPolicies.RoundRobin,
            PassiveHealth = new PassiveHealthSpec { ConsecutiveFailures = 2, ReactivationPeriod = TimeSpan.FromSeconds(3) },
        };
        await using var router = await TestRouter.StartAsync(Tables.Table(1, [Tables.Route("app", "app", "app.test")], cluster));
        var state = router.Router.Routing.Current.Clusters["app"].Destinations[0];

        await GetManyAsync(router, 6);
        Assert.NotEqual(0, state.EjectedUntil);
        var before = broken.Requests;
        Assert.All(await GetManyAsync(router, 6), b => Assert.Equal("200 steady", b));
        Assert.Equal(before, broken.Requests);

        Volatile.Write(ref fail, false);
        await Task.Delay(3200);
        Assert.Contains("200 broken", await GetManyAsync(router, 6));
    }

    [Fact]
    public async Task TableSwap_SameDestination_KeepsHealthState()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        var table = Tables.Single(backend.Address, cluster: c => c with { Health = FastCheck with { Interval = TimeSpan.FromMinutes(5), Timeout = TimeSpan.FromSeconds(10) } });
        await using var router = await TestRouter.StartAsync(table);
        var state = router.Router.Routing.Current.Clusters["app"].Destinations[0];
        await WaitUntilAsync(() => state.ActiveHealth == HealthState.Healthy, "healthy");

        Assert.Empty(router.Router.ApplyTable(table with { Version = 2 }));

        var after = router.Router.Routing.Current.Clusters["app"].Destinations[0];
        Assert.Same(state, after);
        Assert.Equal("200 b", await router.GetStringAsync("app.test"));
    }

    private static async Task<List<string>> GetManyAsync(TestRouter router, int count)
    {
        var results = new List<string>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await router.GetStringAsync("app.test"));
        }

        return results;
    }
}
