using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gantry.Registry.Transport;

/// <summary>
/// Kestrel connection middleware that gives a plain-TCP connection a <see cref="SocketResponseWriter"/> as its output,
/// so registry blob GETs on it can be sent with sendfile(2). Register it first, on plain-HTTP endpoints only.
/// </summary>
public static class SocketSendFileConnectionMiddleware
{
    /// <summary>
    /// Sends this endpoint's responses straight to the socket, with file bodies through sendfile(2). Only for plain
    /// HTTP with Kestrel's sockets transport; anything else (TLS, another transport) passes through untouched.
    /// </summary>
    public static ListenOptions UseSocketSendFile(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            // The writer takes over the raw socket, so it must sit directly on the transport: never under TLS.
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { SocketType: SocketType.Stream } socket
                || connection.Features.Get<ITlsConnectionFeature>() is not null
                || connection.Features.Get<ITlsHandshakeFeature>() is not null)
            {
                await next(connection).ConfigureAwait(false);
                return;
            }

            IDuplexPipe original = connection.Transport;
            var writer = new SocketResponseWriter(socket, connection);
            connection.Transport = new ConnectionPipe(original.Input, writer);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await writer.CompleteAsync().ConfigureAwait(false);
                connection.Transport = original;
            }
        });
        return listen;
    }

    private sealed class ConnectionPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
