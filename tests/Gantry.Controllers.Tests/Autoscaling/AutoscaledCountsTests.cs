using Gantry.Controllers.Autoscaling;
using Gantry.Model;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Tests.Autoscaling;

public class AutoscaledCountsTests
{
    private static ServiceSpec Web(int replicas, AutoscaleSpec? policy = null) => new() { Name = "web", Replicas = replicas, Autoscale = policy };

    private static AppSpec App(params ServiceSpec[] services) => new() { Name = "shop", Services = services };

    [Fact]
    public void Keep_Redeploy_KeepsTheCountTheAutoscalerSet()
    {
        var policy = new AutoscaleSpec { Min = 2, Max = 10 };

        var kept = AutoscaledCounts.Keep(App(Web(2, policy)), App(Web(7, policy)));

        Assert.Equal(7, kept.Services[0].Replicas);
    }

    [Fact]
    public void Keep_NewBoundsBelowTheRunningCount_BringsItWithin()
    {
        var kept = AutoscaledCounts.Keep(App(Web(2, new AutoscaleSpec { Min = 1, Max = 4 })), App(Web(7, new AutoscaleSpec { Min = 2, Max = 10 })));

        Assert.Equal(4, kept.Services[0].Replicas);
    }

    [Fact]
    public void Keep_NewServiceOutsideItsRange_StartsWithin()
    {
        var kept = AutoscaledCounts.Keep(App(Web(1, new AutoscaleSpec { Min = 3, Max = 5 })), null);

        Assert.Equal(3, kept.Services[0].Replicas);
    }

    [Fact]
    public void Keep_ServiceWithoutPolicy_TakesTheComposeCount()
    {
        var next = App(Web(2));

        Assert.Same(next, AutoscaledCounts.Keep(next, App(Web(7))));
    }

    [Fact]
    public void RefuseManual_OutsideTheRange_SaysTheRangeAndWhatToDo()
    {
        var web = Web(3, new AutoscaleSpec { Min = 2, Max = 6 });

        Assert.Null(AutoscaledCounts.RefuseManual(web, 6));
        var refusal = AutoscaledCounts.RefuseManual(web, 9);
        Assert.NotNull(refusal);
        Assert.Contains("between 2 and 6", refusal, StringComparison.Ordinal);
        Assert.Contains("x-gantry autoscale", refusal, StringComparison.Ordinal);
        Assert.Null(AutoscaledCounts.RefuseManual(Web(3), 9));
    }
}
