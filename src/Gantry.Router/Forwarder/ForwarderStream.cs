using System.Net.Sockets;
using Gantry.Router.Observability;

namespace Gantry.Router.Forwarder;

/// <summary>The upstream connection's stream, which notes when a request first writes on it so the access log can split waiting, connecting and upstream time.</summary>
/// <remarks>HTTP/1.1 writes a request's headers from the request's own async flow, so an AsyncLocal carries the record to
/// this write. The first request written on a new connection is the one that waited for it and gets its connect time;
/// later ones report "reused".</remarks>
public sealed class ForwarderStream : NetworkStream
{
    internal static readonly AsyncLocal<RequestRecord?> CurrentRecord = new();
    private readonly long _connectTicks;
    private readonly TimeProvider _time;
    private bool _used;

    public ForwarderStream(Socket socket, long connectTicks, TimeProvider time)
        : base(socket, ownsSocket: true)
    {
        _connectTicks = connectTicks;
        _time = time;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Mark();
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Mark();
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Mark();
        base.Write(buffer);
    }

    private void Mark()
    {
        var record = CurrentRecord.Value;
        if (record is null)
        {
            // A health probe: the connection is used from now on, so the next request on it counts as reusing it.
            _used = true;
            return;
        }

        if (record.FirstWriteTs != 0)
        {
            return;
        }

        record.FirstWriteTs = _time.GetTimestamp();
        if (!_used)
        {
            _used = true;
            record.ConnectTicks = _connectTicks;
        }
        else
        {
            record.ConnectTicks = -1;
        }
    }
}
