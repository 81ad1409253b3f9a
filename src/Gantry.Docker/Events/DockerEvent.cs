using System.Text.Json.Serialization;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Events;

/// <summary>One message from <c>GET /events</c>: what kind of object, what happened, to which object, when.</summary>
public sealed record DockerEvent
{
    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, <c>daemon</c>, <c>service</c>, ...</summary>
    public string Type { get; init; } = "";

    /// <summary><c>create</c>, <c>start</c>, <c>die</c>, <c>oom</c>, <c>health_status: healthy</c>, <c>connect</c>, ...</summary>
    public string Action { get; init; } = "";

    /// <summary>The object and its attributes (labels, name, image, exitCode, ...).</summary>
    public EventActor Actor { get; init; } = new();

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    /// <summary>Unix nanoseconds.</summary>
    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }

    /// <summary>The event time with sub-second precision.</summary>
    [JsonIgnore]
    public DateTimeOffset Timestamp => TimeNano != 0 ? DockerTime.FromUnixNanoseconds(TimeNano) : DateTimeOffset.FromUnixTimeSeconds(Time);
}
