using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gantry.Router.Tests.Support;

/// <summary>A TCP backend that speaks HTTP/1.1 by hand, for what a well-behaved server never does: closing kept connections,
/// answering before the body, malformed heads, interim responses, dying mid-body.</summary>
public sealed class RawBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connections;

    private RawBackend(Func<RawConnection, Task> serve)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptAsync(serve);
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Runs <paramref name="serve"/> for each accepted connection (the connection is closed when it returns).</summary>
    public static RawBackend Start(Func<RawConnection, Task> serve) => new(serve);

    private async Task AcceptAsync(Func<RawConnection, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using var connection = new RawConnection(socket);
                try
                {
                    await serve(connection);
                }
                catch (Exception)
                {
                    // The router went away or the test's script ended the connection.
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }
}

/// <summary>One accepted connection with a small read buffer: read a request head, read body bytes, write raw text.</summary>
public sealed class RawConnection(Socket socket) : IDisposable
{
    private readonly List<byte> _pending = [];

    public Socket Socket => socket;

    /// <summary>Reads up to the end of the next request head; null when the router closed the connection.</summary>
    public async Task<string?> ReadHeadAsync()
    {
        var buffer = new byte[8192];
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..(end + 4)];
            }

            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> body bytes after the head.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        var buffer = new byte[8192];
        while (_pending.Count < count)
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                throw new IOException("closed");
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var bytes = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return bytes;
    }

    public Task WriteAsync(string text) => socket.SendAsync(Encoding.Latin1.GetBytes(text));

    public Task WriteAsync(byte[] bytes) => socket.SendAsync(bytes);

    /// <summary>Closes with a reset (SO_LINGER 0) instead of a FIN.</summary>
    public void Reset()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public void Dispose() => socket.Dispose();
}
