using System.Net;
using System.Net.Sockets;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>HTTP clients whose connections leave from a chosen 127.0.0.0/8 address, so tests that lock an address out (failed sign-ins) do not lock out each other.</summary>
public static class LoopbackClient
{
    public static HttpClient From(IPAddress local, string baseUrl)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }
}
