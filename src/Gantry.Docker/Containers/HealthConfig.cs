using System.Text.Json.Serialization;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Containers;

/// <summary>A container health check; durations travel as nanoseconds on the wire.</summary>
public sealed record HealthConfig
{
    /// <summary><c>["CMD", ...]</c>, <c>["CMD-SHELL", "cmd"]</c> or <c>["NONE"]</c>.</summary>
    public IReadOnlyList<string>? Test { get; init; }

    /// <summary>Time between checks.</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan? Interval { get; init; }

    /// <summary>Time one check may take.</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>Consecutive failures before unhealthy.</summary>
    public int? Retries { get; init; }

    /// <summary>Grace period during which failures do not count.</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan? StartPeriod { get; init; }

    /// <summary>A <c>CMD-SHELL</c> check.</summary>
    public static IReadOnlyList<string> Shell(string command) => ["CMD-SHELL", command];
}
