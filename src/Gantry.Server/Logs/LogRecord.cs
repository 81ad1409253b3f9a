using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gantry.Server.Logs;

/// <summary>
/// A stored line's form in a segment: one JSON object per line (NDJSON), so a segment is readable with zcat and jq and a
/// torn last line is easy to find. Short keys keep the overhead small before compression:
/// `{"t":ticks,"s":service,"r":replica,"v":release,"o":"stdout","c":container,"m":text}` (t: 100 ns ticks since the Unix epoch).
/// </summary>
public static class LogRecord
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes the line and its newline; returns the bytes written.</summary>
    public static int Write(IBufferWriter<byte> to, StoredLogLine line)
    {
        using var writer = new Utf8JsonWriter(to, WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("t"u8, line.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        writer.WriteString("s"u8, line.Service);
        writer.WriteString("r"u8, line.Replica);
        writer.WriteNumber("v"u8, line.Release);
        writer.WriteString("o"u8, line.Stream);
        writer.WriteString("c"u8, line.Container);
        writer.WriteString("m"u8, line.Text);
        writer.WriteEndObject();
        writer.Flush();
        var written = (int)writer.BytesCommitted;
        to.Write("\n"u8);
        return written + 1;
    }

    /// <summary>Reads one line (without its newline); null when it is not a whole record (a torn write).</summary>
    public static StoredLogLine? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            long? ticks = null;
            string service = "", replica = "", stream = "stdout", container = "";
            string? text = null;
            var release = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.ValueSpan.Length == 1 ? reader.ValueSpan[0] : (byte)0;
                reader.Read();
                switch (key)
                {
                    case (byte)'t': ticks = reader.GetInt64(); break;
                    case (byte)'s': service = reader.GetString() ?? ""; break;
                    case (byte)'r': replica = reader.GetString() ?? ""; break;
                    case (byte)'v': release = reader.GetInt32(); break;
                    case (byte)'o': stream = reader.GetString() ?? "stdout"; break;
                    case (byte)'c': container = reader.GetString() ?? ""; break;
                    case (byte)'m': text = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || ticks is null || text is null)
            {
                return null;
            }
            return new StoredLogLine(new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks.Value, TimeSpan.Zero), service, replica, release, stream, container, text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
