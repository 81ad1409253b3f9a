namespace Gantry.Server.Metrics;

/// <summary>
/// Names one series: a metric of an app's service, per replica or (with <see cref="Replica"/> "") for the whole
/// service, as the routers' figures are.
/// </summary>
public readonly record struct SeriesKey(string App, string Service, string Replica, string Metric);
