using Gantry.Model.Autoscaling;

namespace Gantry.Compose.Tests.XGantry;

/// <summary>autoscale is read with the rest of x-gantry: a typed field, errors at the key's line and column, and a warning where a fixed count was written.</summary>
public sealed class AutoscaleLoadTests
{
    [Fact]
    public void Load_Autoscale_TypedOnTheService()
    {
        var web = TestLoad.Service("""
            services:
              web:
                image: shop:1
                deploy:
                  resources: {limits: {cpus: "0.5", memory: 256M}}
                x-gantry:
                  host: shop.example.com
                  port: 8080
                  autoscale:
                    min: 2
                    max: 10
                    cpu: 70%
                    memory: 80%
                    rps: 100
                    p95: 300ms
                    scale-in-delay: 5m
                    schedule:
                      - { cron: "0 19 * * 5", min: 8, for: 4h }
            """);

        Assert.Equal(new AutoscaleSpec
        {
            Min = 2, Max = 10, Cpu = 0.7, Memory = 0.8, RequestsPerSecond = 100, P95 = TimeSpan.FromMilliseconds(300),
            ScaleInDelay = TimeSpan.FromMinutes(5), Schedule = web.Autoscale!.Schedule,
        }, web.Autoscale);
        Assert.Equal(new AutoscaleFloor("0 19 * * 5", 8, TimeSpan.FromHours(4)), Assert.Single(web.Autoscale.Schedule));
    }

    [Fact]
    public void Load_ServiceWithoutAutoscale_Null()
    {
        Assert.Null(TestLoad.Service("services:\n  web:\n    image: shop:1\n    x-gantry: {host: a.example.com, port: 80}\n").Autoscale);
    }

    [Fact]
    public void Load_BadCronInASchedule_ErrorAtTheCronValue()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              web:
                image: shop:1
                x-gantry:
                  host: shop.example.com
                  port: 8080
                  autoscale:
                    max: 4
                    rps: 100
                    schedule:
                      - cron: "0 19 * * 5"
                        min: 2
                        for: 1h
                      - cron: "every friday"
                        min: 3
                        for: 1h
            """));

        Assert.Equal("services.web.x-gantry.autoscale.schedule[1].cron", error.Path);
        Assert.Equal((14, 19), (error.Line, error.Column)); // the value "every friday"
        Assert.Contains("e.g. \"0 19 * * 5\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CpuTargetWithoutCpuLimit_ErrorAtCpuSayingWhichLimit()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              worker:
                image: jobs:1
                x-gantry:
                  strategy: rolling
                  autoscale: {max: 4, cpu: 70%}
            """));

        Assert.Equal("services.worker.x-gantry.autoscale.cpu", error.Path);
        Assert.Equal(6, error.Line);
        Assert.Contains("deploy.resources.limits.cpus", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy: {replicas: 12, resources: {limits: {cpus: \"1\"}}}", "services.worker.deploy.replicas")]
    [InlineData("scale: 1\n    deploy: {resources: {limits: {cpus: \"1\"}}}", "services.worker.scale")]
    public void Load_FixedCountOutsideMinMax_WarningAtTheCountAndLoads(string lines, string path)
    {
        var result = TestLoad.Text($$"""
            services:
              worker:
                image: jobs:1
                {{lines}}
                x-gantry:
                  strategy: rolling
                  autoscale: {min: 2, max: 10, cpu: 70%}
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((path, 4), (warning.Path, warning.Line));
        Assert.Contains("the autoscaler owns the count", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FixedCountInsideMinMax_NoWarning()
    {
        var result = TestLoad.Text("""
            services:
              worker:
                image: jobs:1
                deploy: {replicas: 3, resources: {limits: {cpus: "1"}}}
                x-gantry: {strategy: rolling, autoscale: {min: 2, max: 10, cpu: 70%}}
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Warnings);
    }
}
