using Gantry.Model.Api;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

public sealed class ExportedMetricsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Points_MapEachKeptSeriesToItsFamilyAndLabels_LatencyInSeconds()
    {
        (SeriesKey, CurrentValue)[] current =
        [
            (new SeriesKey("shop", "web", "shop-web-1", MetricNames.Cpu), new CurrentValue(MetricKind.Gauge, 0.25, At)),
            (new SeriesKey("shop", "web", "", MetricNames.Requests5xx), new CurrentValue(MetricKind.Counter, 7, At)),
            (new SeriesKey("shop", "web", "", MetricNames.LatencyP95), new CurrentValue(MetricKind.Gauge, 120, At)),
        ];

        var points = ExportedMetrics.Points(current, [], 3);

        Assert.Contains(points, p => p.Family == ExportedMetrics.ReplicaCpu && p.LabelValues.SequenceEqual(["shop", "web", "shop-web-1"]) && p.Value == 0.25);
        Assert.Contains(points, p => p.Family == ExportedMetrics.ServiceRequests && p.LabelValues.SequenceEqual(["shop", "web", "5xx"]) && p.Value == 7);
        Assert.Contains(points, p => p.Family == ExportedMetrics.ServiceLatency && p.LabelValues[2] == "0.95" && Math.Abs(p.Value - 0.12) < 1e-9);
        Assert.Contains(points, p => p.Family == ExportedMetrics.Apps && p.Value == 3);
        Assert.All(points, p => Assert.Equal(p.Family.Labels.Count, p.LabelValues.Length));
    }

    [Fact]
    public void OtlpName_CountersLoseTheirTotalSuffix()
    {
        Assert.Equal("gantry_service_requests", ExportedMetrics.ServiceRequests.OtlpName);
        Assert.Equal("gantry_replica_cpu_ratio", ExportedMetrics.ReplicaCpu.OtlpName);
    }

    [Theory]
    [InlineData("http://collector:4318", null, "http://collector:4318/v1/metrics", false)]
    [InlineData("http://collector:4318/custom/path", "http/protobuf", "http://collector:4318/custom/path", false)]
    [InlineData("http://collector:4317", "grpc", "http://collector:4317/", true)]
    public void OtlpOptions_Parse_EndpointAndProtocol(string endpoint, string? protocol, string expected, bool grpc)
    {
        var (options, error) = OtlpOptions.Parse(endpoint, protocol, null);

        Assert.Null(error);
        Assert.Equal(expected, options!.Endpoint.AbsoluteUri);
        Assert.Equal(grpc, options.Grpc);
        Assert.Equal(OtlpOptions.DefaultInterval, options.Interval);
    }

    [Theory]
    [InlineData("collector:4318", null, "is not an http or https URL")]
    [InlineData("http://collector:4318", "thrift", "'thrift' is not one of grpc, http/protobuf")]
    public void OtlpOptions_Parse_BadValuesNamed(string endpoint, string? protocol, string message)
    {
        var (options, error) = OtlpOptions.Parse(endpoint, protocol, null);

        Assert.Null(options);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OtlpOptions_Parse_NoEndpoint_Off() => Assert.Equal((null, null), OtlpOptions.Parse(null, "grpc", null));
}
