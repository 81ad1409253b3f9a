namespace Gantry.Docker.Events;

/// <summary>Which events to stream: filters (type, label, event, container, ...) and an optional time window.</summary>
public sealed record EventsOptions
{
    /// <summary>Filters, for example <c>type=container</c>, <c>label=gantry.app=web</c>, <c>event=die</c>.</summary>
    public DockerFilters? Filters { get; init; }

    /// <summary>Replay stored events from this time on (the daemon keeps the last 1000 or so).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>End the stream at this time; null streams until cancelled.</summary>
    public DateTimeOffset? Until { get; init; }
}
