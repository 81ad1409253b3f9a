using Gantry.Compose.XGantry;
using Gantry.Model;
using Gantry.Model.Autoscaling;

namespace Gantry.Compose.Tests.XGantry;

public sealed class AutoscaleParserTests
{
    private const string At = "services.web.x-gantry.autoscale";

    private static readonly ResourcesSpec Limited = new() { NanoCpus = 500_000_000, MemoryLimitBytes = 512L << 20 };

    private static (AutoscaleSpec? Spec, List<string> Errors) Parse(string autoscale, bool routed = true, ResourcesSpec? resources = null)
    {
        var service = new ServiceSpec
        {
            Name = "web",
            Resources = resources ?? Limited,
            Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = $$"""{"autoscale":{{autoscale}}}""" },
        };
        var errors = new List<string>();
        return (AutoscaleParser.Parse(service, routed, errors), errors);
    }

    [Fact]
    public void Parse_FullPolicy_EveryFieldTyped()
    {
        var (spec, errors) = Parse("""
            {"min":2,"max":10,"cpu":"70%","memory":"80%","rps":100,"p95":"300ms","scale-in-delay":"1h30m",
             "schedule":[{"cron":"0 19 * * 5","min":8,"for":"4h"}]}
            """);

        Assert.Empty(errors);
        Assert.Equal((2, 10), (spec!.Min, spec.Max));
        Assert.Equal((0.7, 0.8, 100.0), (spec.Cpu, spec.Memory, spec.RequestsPerSecond));
        Assert.Equal(TimeSpan.FromMilliseconds(300), spec.P95);
        Assert.Equal(TimeSpan.FromMinutes(90), spec.ScaleInDelay);
        Assert.Null(spec.Idle);
        Assert.Equal(new AutoscaleFloor("0 19 * * 5", 8, TimeSpan.FromHours(4)), Assert.Single(spec.Schedule));
    }

    [Fact]
    public void Parse_NoAutoscaleKey_Null()
    {
        var service = new ServiceSpec
        {
            Name = "web",
            Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = """{"host":"a.example.com"}""" },
        };
        var errors = new List<string>();

        Assert.Null(AutoscaleParser.Parse(service, routed: true, errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Parse_OnlyMaxAndATarget_MinOneAndDefaultDelay()
    {
        var (spec, errors) = Parse("""{"max":4,"rps":50}""");

        Assert.Empty(errors);
        Assert.Equal((1, 4), (spec!.Min, spec.Max));
        Assert.Equal(AutoscaleSpec.DefaultScaleInDelay, spec.ScaleInDelay);
    }

    [Theory]
    [InlineData("""{"min":5,"max":3,"rps":1}""", ".min: 5 is above max 3")]
    [InlineData("""{"min":0,"max":0,"rps":1,"idle":"1m"}""", ".max: 0 would never run the service")]
    [InlineData("""{"min":1,"rps":1}""", ": max is missing")]
    [InlineData("""{"min":-1,"max":3,"rps":1}""", ".min: '-1' is not a replica count")]
    [InlineData("""{"max":3}""", ": no target; give at least one of cpu")]
    [InlineData("""{"max":3,"cpu":70}""", ".cpu: '70' is not a percentage; write the share of the replica's cpu limit to aim for, e.g. cpu: 70%")]
    [InlineData("""{"max":3,"cpu":"0%"}""", ".cpu: 0% is out of range; write 1% to 100%")]
    [InlineData("""{"max":3,"memory":"120%"}""", ".memory: 120% is out of range")]
    [InlineData("""{"max":3,"rps":0}""", ".rps: '0' is not a positive number")]
    [InlineData("""{"max":3,"p95":"fast"}""", ".p95: 'fast' is not a duration")]
    [InlineData("""{"max":3,"p95":"0ms"}""", ".p95: must be longer than zero")]
    [InlineData("""{"max":3,"rps":1,"idle":"10m"}""", ".idle: idle is how long before scaling to zero, which only min: 0 does")]
    [InlineData("""{"min":0,"max":3,"rps":1}""", ".min: 0 scales the service to zero when idle; say after how long")]
    [InlineData("""{"max":3,"rps":1,"burst":2}""", ".burst: unknown key; autoscale takes min, max")]
    [InlineData("""{"max":3,"rps":1,"schedule":[{"cron":"0 25 * * *","min":2,"for":"1h"}]}""", ".schedule[0].cron: '0 25 * * *' is not a cron expression")]
    [InlineData("""{"max":3,"rps":1,"schedule":[{"cron":"0 9 * * 1","min":4,"for":"1h"}]}""", ".schedule[0].min: 4 is above autoscale's max 3")]
    [InlineData("""{"max":3,"rps":1,"schedule":[{"cron":"0 9 * * 1","min":2,"for":"0s"}]}""", ".schedule[0].for: must be longer than zero")]
    [InlineData("""{"max":3,"rps":1,"schedule":[{"cron":"0 9 * * 1","min":2}]}""", ".schedule[0]: for is missing")]
    [InlineData("""{"max":3,"rps":1,"schedule":[{"min":2,"for":"1h"}]}""", ".schedule[0]: cron is missing")]
    [InlineData("""{"max":3,"rps":1,"schedule":{"cron":"0 9 * * 1"}}""", ".schedule: expected a list")]
    public void Parse_Invalid_OneErrorAtTheKeySayingWhatToWrite(string autoscale, string expected)
    {
        var (_, errors) = Parse(autoscale);

        var error = Assert.Single(errors);
        Assert.StartsWith(At + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CpuAndMemoryTargetsWithoutLimits_ErrorsNameTheLimitToSet()
    {
        var (_, errors) = Parse("""{"max":3,"cpu":"70%","memory":"80%"}""", resources: new ResourcesSpec());

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith(At + ".cpu:", StringComparison.Ordinal) && e.Contains("set deploy.resources.limits.cpus", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(At + ".memory:", StringComparison.Ordinal) && e.Contains("set deploy.resources.limits.memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RouterTargetsAndScaleToZeroWithoutRoutes_RefusedWithWhy()
    {
        var (_, errors) = Parse("""{"min":0,"max":3,"idle":"10m","rps":100,"p95":"300ms"}""", routed: false);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith(At + ".rps: the routers measure rps", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(At + ".p95: the routers measure p95", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(At + ".min: only the router sees the request that wakes", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ScaleToZeroWithIdle_Accepted()
    {
        var (spec, errors) = Parse("""{"min":0,"max":3,"idle":"10m","rps":100}""");

        Assert.Empty(errors);
        Assert.Equal((0, TimeSpan.FromMinutes(10)), (spec!.Min, spec.Idle));
    }

    [Theory]
    [InlineData("300ms", 0.3)]
    [InlineData("5m", 300)]
    [InlineData("4h", 14_400)]
    [InlineData("1h30m", 5_400)]
    public void Parse_Durations_ReadInEveryUnit(string text, double seconds)
    {
        var (spec, errors) = Parse($$"""{"max":3,"rps":1,"scale-in-delay":"{{text}}"}""");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), spec!.ScaleInDelay);
    }
}
