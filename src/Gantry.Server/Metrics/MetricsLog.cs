using System.Buffers.Binary;
using System.Text;

namespace Gantry.Server.Metrics;

/// <summary>
/// The metrics file's records, append-only: `type (1) | payload length (2) | payload | CRC-32 of the three (4)`, little
/// endian. A series record names a series once and gives it a number; slot and minute records carry the number. A
/// crash can only tear the last record, which fails its length or CRC and ends the read: everything before it stands.
/// </summary>
internal static class MetricsLog
{
    public const byte SeriesType = 1;
    public const byte SlotType = 2;
    public const byte MinuteType = 3;

    private const int Header = 3;
    private const int Trailer = 4;

    /// <summary>What a slot costs on disk: its number, time and value, framed. The byte budget counts in these.</summary>
    public const int SlotBytes = Header + 4 + 8 + 8 + Trailer;

    /// <summary>What a minute costs on disk: number, start, min, max, sum, count, last, framed.</summary>
    public const int MinuteBytes = Header + 4 + 8 + 8 + 8 + 8 + 4 + 8 + Trailer;

    public static void WriteSeries(Stream to, uint id, SeriesKey key, MetricKind kind)
    {
        var strings = new[] { key.App, key.Service, key.Replica, key.Metric }.Select(Encoding.UTF8.GetBytes).ToList();
        var payload = new byte[4 + 1 + strings.Sum(s => 2 + s.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, id);
        payload[4] = (byte)kind;
        var at = 5;
        foreach (var s in strings)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(at), (ushort)s.Length);
            s.CopyTo(payload, at + 2);
            at += 2 + s.Length;
        }
        Write(to, SeriesType, payload);
    }

    /// <summary>What a series record costs on disk, counted in the budget with its points.</summary>
    public static int SeriesBytes(SeriesKey key) =>
        Header + 5 + new[] { key.App, key.Service, key.Replica, key.Metric }.Sum(s => 2 + Encoding.UTF8.GetByteCount(s)) + Trailer;

    public static void WriteSlot(Stream to, uint id, long at, double value)
    {
        Span<byte> payload = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt64LittleEndian(payload[4..], at);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[12..], value);
        Write(to, SlotType, payload);
    }

    public static void WriteMinute(Stream to, uint id, Bucket minute)
    {
        Span<byte> payload = stackalloc byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt64LittleEndian(payload[4..], minute.Start);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[12..], minute.Min);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[20..], minute.Max);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[28..], minute.Sum);
        BinaryPrimitives.WriteInt32LittleEndian(payload[36..], minute.Count);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[40..], minute.Last);
        Write(to, MinuteType, payload);
    }

    /// <summary>
    /// Replays <paramref name="data"/> into <paramref name="into"/>, and returns how many bytes were whole records:
    /// the file is cut there before anything is appended, so a torn record never sits in the middle.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> data, MetricsHistory into)
    {
        var series = new Dictionary<uint, SeriesKey>();
        var at = 0;
        while (data.Length - at >= Header + Trailer)
        {
            var type = data[at];
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 1)..]);
            var end = at + Header + length;
            if (end + Trailer > data.Length || Crc32.Compute(data[at..end]) != BinaryPrimitives.ReadUInt32LittleEndian(data[end..]))
            {
                break;
            }
            var payload = data[(at + Header)..end];
            var id = BinaryPrimitives.ReadUInt32LittleEndian(payload);
            switch (type)
            {
                case SeriesType:
                    var key = ReadKey(payload[5..]);
                    series[id] = key;
                    into.Declare(key, (MetricKind)payload[4]);
                    break;
                case SlotType when series.TryGetValue(id, out var slotKey):
                    into.Replay(slotKey, BinaryPrimitives.ReadInt64LittleEndian(payload[4..]), BinaryPrimitives.ReadDoubleLittleEndian(payload[12..]));
                    break;
                case MinuteType when series.TryGetValue(id, out var minuteKey):
                    into.RestoreMinute(minuteKey, new Bucket(
                        BinaryPrimitives.ReadInt64LittleEndian(payload[4..]), BinaryPrimitives.ReadDoubleLittleEndian(payload[12..]),
                        BinaryPrimitives.ReadDoubleLittleEndian(payload[20..]), BinaryPrimitives.ReadDoubleLittleEndian(payload[28..]),
                        BinaryPrimitives.ReadInt32LittleEndian(payload[36..]), BinaryPrimitives.ReadDoubleLittleEndian(payload[40..])));
                    break;
                default:
                    return at; // a record this version does not know: stop as at a torn one
            }
            at = end + Trailer;
        }
        return at;
    }

    private static SeriesKey ReadKey(ReadOnlySpan<byte> data)
    {
        var parts = new string[4];
        var at = 0;
        for (var i = 0; i < 4; i++)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
            parts[i] = Encoding.UTF8.GetString(data.Slice(at + 2, length));
            at += 2 + length;
        }
        return new SeriesKey(parts[0], parts[1], parts[2], parts[3]);
    }

    private static void Write(Stream to, byte type, ReadOnlySpan<byte> payload)
    {
        Span<byte> record = stackalloc byte[Header + payload.Length + Trailer];
        record[0] = type;
        BinaryPrimitives.WriteUInt16LittleEndian(record[1..], (ushort)payload.Length);
        payload.CopyTo(record[Header..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(Header + payload.Length)..], Crc32.Compute(record[..(Header + payload.Length)]));
        to.Write(record);
    }
}
