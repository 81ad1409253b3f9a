using System.Text.Json.Serialization;
using Gantry.Model.Api;

namespace Gantry.Server.Builds;

/// <summary>
/// A build as the store keeps it: kind `Build`, named `APP.N`, written when it is queued, when it starts and when it ends
/// (one write per change, docs/decisions/0011); the log lives beside it on disk (<see cref="BuildService.LogPath"/>).
/// </summary>
public sealed record BuildRecord
{
    public required string App { get; init; }

    public required long Number { get; init; }

    public string State { get; init; } = BuildStates.Queued;

    public required string Commit { get; init; }

    public string? Branch { get; init; }

    public string? Author { get; init; }

    public string PushedBy { get; init; } = "";

    /// <summary>The instance the build deploys to (`APP` or `APP-ENV`).</summary>
    public string? Deploys { get; init; }

    public DateTimeOffset QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string? Message { get; init; }

    public static string NameOf(string app, long number) => $"{app}.{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public BuildView ToView(int? position, long logBytes) => new(App, Number)
    {
        State = State,
        Position = position,
        Commit = Commit,
        Branch = Branch,
        Author = Author,
        PushedBy = PushedBy,
        Deploys = Deploys,
        QueuedAt = QueuedAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Images = Images,
        Message = Message,
        LogBytes = logBytes,
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildRecord))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
