using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Gantry.Router.Front;

/// <summary>A connection the socket front handed to Kestrel (<see cref="HandoffEndPoint"/>): Kestrel's transport pipes over the
/// socket, the bytes the front had read but not served first, then what the socket brings.</summary>
/// <remarks>The two loops are the sockets transport's own in miniature: receives go straight into the input pipe's memory, the
/// output pipe's segments straight to the socket, with Kestrel's buffer limits (1 MiB in, 64 KiB out). When Kestrel completes
/// its output, or aborts, the socket is shut down both ways, which ends the receive loop; then it is closed.</remarks>
internal sealed class HandoffConnection : DefaultConnectionContext
{
    private static long _lastId;

    private readonly Socket _socket;
    private readonly byte[] _unread;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private int _shutdown;

    public HandoffConnection(Socket socket, byte[] unread, PipeScheduler scheduler)
        : base("front-" + Interlocked.Increment(ref _lastId).ToString("x", System.Globalization.CultureInfo.InvariantCulture))
    {
        _socket = socket;
        _unread = unread;
        var input = new Pipe(new PipeOptions(readerScheduler: scheduler, writerScheduler: scheduler,
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(readerScheduler: scheduler, writerScheduler: scheduler,
            pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        Transport = new Duplex(input.Reader, output.Writer);
        Application = new Duplex(output.Reader, input.Writer);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    internal void Start()
    {
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    private async Task ReceiveAsync()
    {
        var input = Application!.Output;
        Exception? error = null;
        try
        {
            input.Write(_unread);
            var flush = await input.FlushAsync().ConfigureAwait(false);
            while (!flush.IsCompleted && !flush.IsCanceled)
            {
                var memory = input.GetMemory(4096);
                var read = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                input.Advance(read);
                flush = await input.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset)
        {
            error = new ConnectionResetException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = new ConnectionAbortedException(ex.Message, ex);
        }
        finally
        {
            await input.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendAsync()
    {
        var output = Application!.Input;
        try
        {
            while (true)
            {
                var result = await output.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    for (var sent = 0; sent < segment.Length;)
                    {
                        sent += await _socket.SendAsync(segment[sent..], SocketFlags.None).ConfigureAwait(false);
                    }
                }

                output.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
            // Kestrel is done writing (or the peer is gone): a FIN both ways, which also ends the receive loop.
            Shutdown();
        }
    }

    private void Shutdown()
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        Shutdown();
        Application?.Input.CancelPendingRead();
        base.Abort(abortReason);
    }

    public override async ValueTask DisposeAsync()
    {
        // As the sockets transport does: Kestrel's ends completed (idempotent), then the send loop drains what is left.
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await Task.WhenAll(_receiving, _sending).ConfigureAwait(false);
        _socket.Dispose();
        // Not base.DisposeAsync: DefaultConnectionContext.Abort cancels ConnectionClosed later, on the thread pool, and a
        // source disposed before that work item runs throws there, unhandled, which ends the process. The source has no
        // timer or wait handle, so leaving it to the collector frees all it holds.
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
