using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>One HTTP/1.x connection over a raw socket: sends requests and reads each response exactly by its Content-Length, so a test sees what is (and is not) on the wire.</summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly Uri _baseAddress;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(TcpClient client, Uri baseAddress)
    {
        _client = client;
        _stream = client.GetStream();
        _baseAddress = baseAddress;
    }

    public Socket Socket => _client.Client;

    public static async Task<RawHttpConnection> OpenAsync(Uri baseAddress)
    {
        var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        return new RawHttpConnection(client, baseAddress);
    }

    public async Task SendAsync(string method, string pathAndQuery, string version = "HTTP/1.1", params string[] headers)
    {
        var head = new StringBuilder().Append(method).Append(' ').Append(pathAndQuery).Append(' ').Append(version).Append("\r\n")
            .Append("Host: ").Append(_baseAddress.Authority).Append("\r\n");
        foreach (string h in headers)
        {
            head.Append(h).Append("\r\n");
        }

        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
    }

    /// <summary>Reads the status line and headers, then exactly Content-Length body bytes (none for HEAD).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            if (!await FillAsync())
            {
                throw new IOException("connection closed before the response head was complete");
            }
        }

        string text = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        string[] lines = text.Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        long length = head || !headers.TryGetValue("Content-Length", out string? cl) ? 0 : long.Parse(cl, CultureInfo.InvariantCulture);
        byte[] body = new byte[length];
        int got = 0;
        while (got < length)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new IOException($"connection closed after {got} of {length} body bytes");
            }

            int n = (int)Math.Min(_end - _start, length - got);
            Buffer.BlockCopy(_buffer, _start, body, got, n);
            _start += n;
            got += n;
        }

        return new RawResponse(status, headers, body);
    }

    /// <summary>Reads up to <paramref name="count"/> raw bytes (head and body alike) and returns how many arrived.</summary>
    public async Task<int> ReadSomeAsync(int count)
    {
        int total = 0;
        while (total < count && await FillAsync())
        {
            total += _end - _start;
            _start = _end;
        }

        return total;
    }

    /// <summary>True when the server closed its side (a read returns 0) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return _start == _end && await _stream.ReadAsync(_buffer, cts.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Hangs up with a reset, as a killed client does.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Close();
    }

    private int IndexOfHeadEnd() => _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8) is int i and >= 0 ? _start + i : -1;

    private async Task<bool> FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        int n = await _stream.ReadAsync(_buffer.AsMemory(_end));
        _end += n;
        return n > 0;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A response as read off the wire by <see cref="RawHttpConnection"/>.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);
