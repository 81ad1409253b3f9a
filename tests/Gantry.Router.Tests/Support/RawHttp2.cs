using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Gantry.Router.Tests.Support;

/// <summary>A bare HTTP/2 (h2c, prior knowledge) GET written frame by frame, for an :authority HttpClient refuses to send.</summary>
/// <remarks>HPACK without Huffman or the dynamic table: the request uses static-table entries and one literal; the answer's
/// :status is read from the first header of the response HEADERS frame (Kestrel writes it first, indexed when static).</remarks>
public static class RawHttp2
{
    private static readonly int[] StaticStatuses = [200, 204, 206, 304, 400, 404, 500];

    public static async Task<int> GetStatusAsync(int port, string authority)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), cts.Token);
        await WriteFrameAsync(stream, type: 0x4, flags: 0, streamId: 0, [], cts.Token);
        var value = Encoding.ASCII.GetBytes(authority);
        // :method GET (2), :scheme http (6), :path / (4) indexed; :authority literal without indexing, name index 1.
        byte[] block = [0x82, 0x86, 0x84, 0x01, (byte)value.Length, .. value];
        await WriteFrameAsync(stream, type: 0x1, flags: 0x5, streamId: 1, block, cts.Token);

        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cts.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var flags = header[4];
            var streamId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fffffff;
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, cts.Token);
            if (type == 0x4 && (flags & 0x1) == 0)
            {
                await WriteFrameAsync(stream, type: 0x4, flags: 0x1, streamId: 0, [], cts.Token);
            }
            else if (type == 0x7)
            {
                throw new InvalidOperationException("the server sent GOAWAY: " + Convert.ToHexString(payload));
            }
            else if (type == 0x3 && streamId == 1)
            {
                throw new InvalidOperationException("the server reset the stream: " + Convert.ToHexString(payload));
            }
            else if (type == 0x1 && streamId == 1)
            {
                return ReadStatus(payload, flags);
            }
        }
    }

    private static int ReadStatus(byte[] payload, byte flags)
    {
        var at = 0;
        var end = payload.Length;
        if ((flags & 0x8) != 0)
        {
            end -= payload[at++];
        }

        if ((flags & 0x20) != 0)
        {
            at += 5;
        }

        var first = payload[at];
        if ((first & 0x80) != 0 && (first & 0x7f) is >= 8 and <= 14)
        {
            return StaticStatuses[(first & 0x7f) - 8];
        }

        // Literal with the :status name (indexed 8-14 in a 4- or 6-bit prefix): the value follows, uncompressed.
        var lengthByte = payload[at + 1];
        if ((lengthByte & 0x80) != 0)
        {
            throw new NotSupportedException("a Huffman-coded :status; extend RawHttp2 if Kestrel starts doing that");
        }

        return int.Parse(Encoding.ASCII.GetString(payload, at + 2, lengthByte & 0x7f), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WriteFrameAsync(NetworkStream stream, byte type, byte flags, int streamId, byte[] payload, CancellationToken ct)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame, ct);
    }
}
