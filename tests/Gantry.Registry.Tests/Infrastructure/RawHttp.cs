using System.Net.Sockets;
using System.Text;

namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>Sends a request over a raw socket and hangs up before the announced body is complete, as a dying client would.</summary>
public static class RawHttp
{
    public static async Task SendTruncatedAsync(Uri baseAddress, string method, string pathAndQuery, int announcedLength, byte[] partialBody, string? contentRange = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        NetworkStream stream = client.GetStream();
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append("Content-Length: ").Append(announcedLength).Append("\r\n");
        if (contentRange is not null)
        {
            head.Append("Content-Range: ").Append(contentRange).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
        // Give the server a moment to consume what arrived, then reset the connection mid-body.
        await Task.Delay(300);
        client.Client.LingerState = new LingerOption(true, 0);
        client.Close();
    }

    /// <summary>
    /// Sends a chunked body: the full chunks, then a chunk header announcing <paramref name="lastChunkAnnounced"/>
    /// bytes followed by only <paramref name="lastChunkSent"/> of them, and resets the connection.
    /// </summary>
    public static async Task SendTruncatedChunkedAsync(Uri baseAddress, string method, string pathAndQuery, IReadOnlyList<byte[]> chunks, int lastChunkAnnounced, byte[] lastChunkSent)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        NetworkStream stream = client.GetStream();
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append("Transfer-Encoding: chunked\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        foreach (byte[] chunk in chunks)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(chunk.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
            await stream.WriteAsync(chunk);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(lastChunkAnnounced.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
        await stream.WriteAsync(lastChunkSent);
        await stream.FlushAsync();
        await Task.Delay(300);
        client.Client.LingerState = new LingerOption(true, 0);
        client.Close();
    }
}
