using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gantry.Server.Alerts;
using Gantry.Server.Apps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Gantry.Server.Metrics;

/// <summary>
/// Pushes the same metrics `GET /metrics` serves (<see cref="ExportedMetrics"/>) to an OpenTelemetry collector over OTLP,
/// when the server was started with `--otlp-endpoint`. The OpenTelemetry SDK does the protocol, batching and retries: Gantry
/// only declares one observable instrument per family, read from the metrics history's current values at each export.
/// Off by default; when on, its cost at rest is one export per interval (60 s unless told).
/// </summary>
public sealed partial class OtlpExport(ServerOptions options, MetricsStore metrics, AppCatalog catalog, AlertController alerts, Hosting.DataDirectory data,
    ILogger<OtlpExport> logger) : IHostedService, IDisposable
{
    public const string MeterName = "Gantry.Server";

    /// <summary>One export reads every family's callback in turn: they share one snapshot taken at most this long ago.</summary>
    private static readonly TimeSpan SnapshotAge = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private (long At, List<ExportedPoint> Points)? _snapshot;
    private Meter? _meter;
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Otlp is not { } otlp)
        {
            return Task.CompletedTask;
        }
        _meter = new Meter(MeterName);
        foreach (var family in ExportedMetrics.All)
        {
            if (family.Kind == ExportedKind.Counter)
            {
                _meter.CreateObservableCounter(family.OtlpName, () => Measure(family), unit: null, description: family.Help);
            }
            else
            {
                _meter.CreateObservableGauge(family.OtlpName, () => Measure(family), unit: null, description: family.Help);
            }
        }
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("gantry-server", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString(), serviceInstanceId: data.InstallationId))
            .AddMeter(MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = otlp.Endpoint;
                exporter.Protocol = otlp.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.Interval.TotalMilliseconds;
            })
            .Build();
        LogExporting(logger, otlp.Endpoint.GetLeftPart(UriPartial.Authority), otlp.Grpc ? "grpc" : "http/protobuf", otlp.Interval.TotalSeconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A last export on the way out, so the collector has the final figures.
        _provider?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<double>> Measure(ExportedFamily family)
    {
        List<ExportedPoint> points;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_snapshot is not { } s || Stopwatch.GetElapsedTime(s.At, now) > SnapshotAge)
            {
                var apps = catalog.Current.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
                _snapshot = s = (now, ExportedMetrics.Points(metrics.Current(PrometheusEndpoint.StaleAfter).Where(c => apps.Contains(c.Key.App) || c.Key.App == NodeMetrics.App), alerts.List(), apps.Count));
            }
            points = s.Points;
        }
        return points.Where(p => ReferenceEquals(p.Family, family)).Select(p => new Measurement<double>(p.Value, Tags(p))).ToList();
    }

    private static KeyValuePair<string, object?>[] Tags(ExportedPoint point)
    {
        var tags = new KeyValuePair<string, object?>[point.LabelValues.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new(point.Family.Labels[i], point.LabelValues[i]);
        }
        return tags;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _meter?.Dispose();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "metrics: exporting over OTLP to {Collector} ({Protocol}) every {Seconds} s")]
    private static partial void LogExporting(ILogger logger, string collector, string protocol, double seconds);
}
