using System.Text.Json.Serialization;

namespace Gantry.Server.Logs;

/// <summary>
/// One segment file of an app's logs and what its index knows of it: the time span, the services and releases in it, and
/// each container's cursor (so the collector resumes from the index alone). Grows while the segment is open; a sealed
/// segment's entry is written to the app's `index.json` and never changes again.
/// </summary>
public sealed class LogSegment
{
    /// <summary>The file name inside the app's folder: `yyyyMMdd-NNNNNN.ndjson`, with `.gz` once sealed.</summary>
    public required string File { get; init; }

    /// <summary>The segment's number within the app, in the order segments were opened.</summary>
    public required int Number { get; init; }

    public DateTimeOffset First { get; set; } = DateTimeOffset.MaxValue;

    public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;

    public long Lines { get; set; }

    /// <summary>Bytes on disk: the compressed file once sealed, the lines written (or waiting to be) while open.</summary>
    public long Bytes { get; set; }

    /// <summary>Bytes of the lines before compression (a sealed segment's ratio is Bytes / RawBytes).</summary>
    public long RawBytes { get; set; }

    public bool Sealed { get; set; }

    public SortedSet<string> Services { get; init; } = new(StringComparer.Ordinal);

    public SortedSet<int> Releases { get; init; } = [];

    /// <summary>Each container's last line in this segment, by the container's short id.</summary>
    public Dictionary<string, LogCursor> Containers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The UTC day of the segment's first line: a line of a later day opens a new segment.</summary>
    [JsonIgnore]
    public DateOnly Day => DateOnly.FromDateTime(First.UtcDateTime);

    public void Add(StoredLogLine line, long bytes)
    {
        if (line.Time < First)
        {
            First = line.Time;
        }
        if (line.Time > Last)
        {
            Last = line.Time;
        }
        Lines++;
        Bytes += bytes;
        RawBytes += bytes;
        Services.Add(line.Service);
        Releases.Add(line.Release);
        Containers[line.Container] = Containers.TryGetValue(line.Container, out var cursor) ? cursor.Advance(line.Time) : new LogCursor(line.Time, 1);
    }
}

/// <summary>An app's `index.json`: its sealed segments, oldest first.</summary>
public sealed record LogIndex(IReadOnlyList<LogSegment> Segments);

/// <summary>Source-generated JSON for the log store's index files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LogIndex))]
internal sealed partial class LogIndexJsonContext : JsonSerializerContext;
