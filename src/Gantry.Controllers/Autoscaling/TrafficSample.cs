namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// What the routers saw of the service over one interval: requests per second for the whole service and their 95th
/// percentile latency (null when there was no request). A sample with 0 requests means "the routers are up and saw
/// none"; no sample at all means "no router data", which never scales the service in.
/// </summary>
public readonly record struct TrafficSample(DateTimeOffset At, double RequestsPerSecond, TimeSpan? P95);
