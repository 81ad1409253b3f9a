using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Gantry.Router.Observability;
using Microsoft.AspNetCore.Connections;

namespace Gantry.Router.Front;

/// <summary>
/// The plain-HTTP entrypoint's first reader of every connection (docs/decisions/0028): requests in the plain subset
/// (<see cref="PlainRequest"/>) are served here, straight from Kestrel's transport pipes, without Kestrel's HTTP layer,
/// the hosting layer and an HttpContext; the first request outside it, left unread, and everything after it on that
/// connection go to Kestrel's HTTP/1.1 (the next middleware) and the full request path.
/// </summary>
/// <remarks>Installed with <c>ListenOptions.Use</c> on the external HTTP listener only (TLS and HTTP/2 listeners keep
/// Kestrel's). Kestrel's keep-alive and header timeouts do not reach a connection middleware, so the front keeps its own:
/// <see cref="FrontTimeouts"/>.</remarks>
public sealed class Http1Front(PlainExchange exchange, FrontTimeouts timeouts, RouterMetrics metrics, TimeProvider time)
{
    public async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        var request = new PlainRequest();
        FrontTimeouts.ConnectionWatch? watch = timeouts.Watch(connection);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled || (buffer.IsEmpty && result.IsCompleted))
                {
                    // Canceled: the keep-alive or head timeout (FrontTimeouts); completed: the client closed. Either way the
                    // connection ends with a FIN, as Kestrel ends its own idle connections.
                    return;
                }

                switch (request.Parse(buffer))
                {
                    case PlainParse.Incomplete when !result.IsCompleted:
                        watch!.ReadingHead();
                        input.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    case PlainParse.Complete:
                        var startTs = time.GetTimestamp();
                        if (exchange.Route(request) is not { } route)
                        {
                            goto default;
                        }

                        input.AdvanceTo(buffer.GetPosition(request.Length));
                        watch!.Busy();
                        var kept = await exchange.ServeAsync(request, route, startTs, remote, output).ConfigureAwait(false) && !request.Close;
                        request.Release();
                        if (!kept)
                        {
                            return;
                        }

                        watch!.Idle();
                        continue;
                    default:
                        // Not ours: Kestrel reads this request's bytes again from the start and keeps the connection.
                        input.AdvanceTo(buffer.Start, buffer.Start);
                        request.Release();
                        timeouts.Forget(watch!);
                        watch = null;
                        metrics.CountFrontFallback();
                        await next(connection).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away (or the connection was aborted for idling): nothing to answer.
        }
        finally
        {
            request.Release();
            if (watch is not null)
            {
                timeouts.Forget(watch);
            }
        }
    }
}
