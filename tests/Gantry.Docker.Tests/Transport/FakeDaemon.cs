using System.Net.Sockets;
using System.Text;

namespace Gantry.Docker.Tests.Transport;

/// <summary>A protocol-level fake daemon on a unix socket: answers each connection with a canned HTTP response, or never.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string? _response;

    public FakeDaemon(string? rawResponse)
    {
        _response = rawResponse;
        SocketPath = Path.Combine(Path.GetTempPath(), $"gdt-fake-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public Uri Endpoint => new($"unix://{SocketPath}");

    public static string Http(int status, string reason, string contentType, string body) =>
        $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    private async Task AcceptLoopAsync()
    {
        var held = new List<Socket>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                held.Add(client);
                var buffer = new byte[4096];
                await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (_response is not null)
                {
                    await client.SendAsync(Encoding.UTF8.GetBytes(_response), SocketFlags.None, _stop.Token);
                    client.Shutdown(SocketShutdown.Send);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _listener.Dispose();
        File.Delete(SocketPath);
        _stop.Dispose();
    }
}
