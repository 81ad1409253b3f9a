using Gantry.Model.Alerts;

namespace Gantry.Compose.Tests.XGantry;

/// <summary>x-gantry's alerts: rules of the user's typed on the service, each mistake reported at its key with what to write.</summary>
public sealed class AlertRulesLoadTests
{
    [Fact]
    public void Load_Rules_TypedWithUnitsDefaultsAndNames()
    {
        var web = TestLoad.Service("""
            services:
              web:
                image: shop:1
                x-gantry:
                  host: shop.example.com
                  port: 8080
                  alerts:
                    - { metric: memory, above: 80%, for: 5m }
                    - { metric: p99, above: 300ms, severity: critical, name: slow }
                    - { metric: rps, below: 1, for: 10m }
                    - { metric: memory_bytes, above: 512M }
            """);

        Assert.Equal(
        [
            new AlertRuleSpec { Name = "memory-above-80%", Metric = "memory", Above = true, Threshold = 0.8, ThresholdText = "80%", For = TimeSpan.FromMinutes(5) },
            new AlertRuleSpec { Name = "slow", Metric = "p99", Above = true, Threshold = 0.3, ThresholdText = "300ms", For = TimeSpan.FromMinutes(1), Severity = "critical" },
            new AlertRuleSpec { Name = "rps-below-1", Metric = "rps", Above = false, Threshold = 1, ThresholdText = "1", For = TimeSpan.FromMinutes(10) },
            new AlertRuleSpec { Name = "memory_bytes-above-512m", Metric = "memory_bytes", Above = true, Threshold = 512 * 1024 * 1024, ThresholdText = "512M", For = TimeSpan.FromMinutes(1) },
        ], web.Alerts!);
    }

    [Fact]
    public void Load_NoRules_NullAndTheSpecHashUnchanged()
    {
        const string Yaml = "services:\n  web:\n    image: shop:1\n    x-gantry: {host: a.example.com, port: 80}\n";
        var without = TestLoad.Service(Yaml);
        var with = TestLoad.Service(Yaml.Replace("port: 80}", "port: 80, alerts: [{ metric: cpu, above: 90% }]}", StringComparison.Ordinal));

        Assert.Null(without.Alerts);
        Assert.Single(with.Alerts!);
        Assert.Equal(Gantry.Model.SpecHash.Compute(without), Gantry.Model.SpecHash.Compute(with));
    }

    [Theory]
    [InlineData("{ metric: disk_io, above: 1 }", "alerts[0].metric", "'disk_io' is not a kept metric; write one of cpu, memory")]
    [InlineData("{ metric: memory, above: 80 }", "alerts[0].above", "'80' is not a percentage")]
    [InlineData("{ metric: restarts, above: 1s }", "alerts[0].above", "'1s' is not a number")]
    [InlineData("{ metric: cpu, above: 90%, below: 10% }", "alerts[0]", "both above and below; give one threshold")]
    [InlineData("{ metric: cpu }", "alerts[0]", "neither above nor below")]
    [InlineData("{ metric: cpu, above: 90%, severity: page }", "alerts[0].severity", "write warning or critical")]
    [InlineData("{ metric: cpu, above: 90%, name: disk }", "alerts[0].name", "is a built-in rule's name")]
    [InlineData("{ metric: cpu, above: 90%, when: always }", "alerts[0].when", "unknown key; an alert rule takes metric, above, below, for, severity, name")]
    public void Load_BadRule_ErrorAtTheKeySayingWhatToWrite(string rule, string path, string message)
    {
        var error = TestLoad.SingleError(TestLoad.Text($$"""
            services:
              web:
                image: shop:1
                x-gantry:
                  host: shop.example.com
                  port: 8080
                  alerts:
                    - {{rule}}
            """));

        Assert.Equal($"services.web.x-gantry.{path}", error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void Load_TrafficMetricOnAServiceWithoutRoutes_ErrorSayingTheRoutersMeasureIt()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              worker:
                image: jobs:1
                x-gantry:
                  alerts: [{ metric: p95, above: 1s }]
            """));

        Assert.Equal("services.worker.x-gantry.alerts[0].metric", error.Path);
        Assert.Contains("the routers measure p95, and worker has no routes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoRulesWithOneName_ErrorAtTheSecond()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              web:
                image: shop:1
                x-gantry:
                  alerts:
                    - { metric: cpu, above: 90% }
                    - { metric: cpu, above: 90%, for: 10m }
            """));

        Assert.Equal("services.web.x-gantry.alerts[1]", error.Path);
        Assert.Contains("another rule of web is named 'cpu-above-90%'", error.Message, StringComparison.Ordinal);
    }
}
