using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Gantry.Router.Front;

/// <summary>
/// Where the socket front (<see cref="SocketFront"/>) gives a connection it does not serve: a Kestrel listener on an endpoint of
/// its own (<see cref="HandoffEndPoint"/>), whose "accept" is the front's hand-over, so Kestrel's HTTP/1.1 and HTTP/2 read the
/// connection from the request the front left unread, as they would from a socket they had accepted (docs/decisions/0035).
/// </summary>
/// <remarks>Registered in the host's services beside the sockets transport; Kestrel asks each transport whether it can bind an
/// endpoint (<see cref="IConnectionListenerFactorySelector"/>), so IP endpoints still go to the sockets transport.</remarks>
public sealed class HandoffListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is HandoffEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(new Listener((HandoffEndPoint)endpoint));

    private sealed class Listener(HandoffEndPoint endpoint) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await endpoint.Queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            endpoint.Close();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            endpoint.Close();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The endpoint of one socket front's Kestrel listener: a queue of handed-over connections, not an address.</summary>
public sealed class HandoffEndPoint(string name, PipeScheduler scheduler) : EndPoint
{
    internal Channel<ConnectionContext> Queue { get; } = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Hands <paramref name="socket"/> to Kestrel; <paramref name="unread"/> (copied) is what it reads first. False once
    /// Kestrel has stopped listening: the caller closes the socket.</summary>
    internal bool Give(Socket socket, ReadOnlySpan<byte> unread)
    {
        var connection = new HandoffConnection(socket, unread.ToArray(), scheduler);
        // Started before Kestrel can see it: a connection Kestrel takes and disposes at once must find its pumps running,
        // or its dispose would wait for none and close the socket under a receive that starts afterwards.
        connection.Start();
        if (Queue.Writer.TryWrite(connection))
        {
            return true;
        }

        connection.Abort();
        return false;
    }

    internal void Close()
    {
        Queue.Writer.TryComplete();
        while (Queue.Reader.TryRead(out var connection))
        {
            connection.Abort();
        }
    }

    public override string ToString() => "handoff:" + name;
}
