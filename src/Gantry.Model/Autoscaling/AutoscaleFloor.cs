namespace Gantry.Model.Autoscaling;

/// <summary>
/// A floor by the clock: from each occurrence of <see cref="Cron"/> (five fields, in the server's time zone) and for
/// <see cref="For"/> of elapsed time, the service runs at least <see cref="Min"/> replicas. Kept as the cron text so the
/// model stays plain data; the compose loader has already checked that it parses.
/// </summary>
public sealed record AutoscaleFloor(string Cron, int Min, TimeSpan For);
