namespace Gantry.Server.Metrics;

/// <summary>Where and how often the server pushes its metrics over OTLP; null in <see cref="ServerOptions"/> when off.</summary>
/// <param name="Endpoint">The collector: for gRPC its address (http://collector:4317), for HTTP the metrics URL
/// (http://collector:4318/v1/metrics; a URL without a path gets /v1/metrics).</param>
/// <param name="Grpc">gRPC instead of HTTP with protobuf bodies.</param>
/// <param name="Interval">Time between two exports.</param>
public sealed record OtlpOptions(Uri Endpoint, bool Grpc, TimeSpan Interval)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>Reads `--otlp-endpoint`, `--otlp-protocol` (grpc or http/protobuf) and `--otlp-interval`; an error names the value.</summary>
    public static (OtlpOptions? Options, string? Error) Parse(string? endpoint, string? protocol, TimeSpan? interval)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return (null, null);
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return (null, $"--otlp-endpoint '{endpoint}' is not an http or https URL; write the collector's, such as http://otel-collector:4318");
        }
        var grpc = protocol switch
        {
            null or "" or "http/protobuf" or "http" => false,
            "grpc" => true,
            _ => (bool?)null,
        };
        if (grpc is null)
        {
            return (null, $"--otlp-protocol '{protocol}' is not one of grpc, http/protobuf");
        }
        if (interval is { } every && every < TimeSpan.FromSeconds(1))
        {
            return (null, $"--otlp-interval must be at least 1s (got {every.TotalMilliseconds} ms)");
        }
        if (grpc == false && url.AbsolutePath is "" or "/")
        {
            url = new Uri(url, "/v1/metrics");
        }
        return (new OtlpOptions(url, grpc.Value, interval ?? DefaultInterval), null);
    }
}
