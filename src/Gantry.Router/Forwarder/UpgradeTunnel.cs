using System.Net.Sockets;
using Gantry.Router.Observability;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Router.Forwarder;

/// <summary>An upgraded exchange (WebSocket and other 101 upgrades): the client's connection and the upstream socket joined as
/// two raw byte streams; the upstream connection is never pooled again.</summary>
internal static class UpgradeTunnel
{
    /// <summary>Relays the backend's 101, upgrades the client connection, then copies both ways until either side closes.</summary>
    public static async ValueTask<ForwarderError> RunAsync(HttpContext context, RequestRecord record, UpstreamConnection connection)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        var target = context.Response;
        target.StatusCode = StatusCodes.Status101SwitchingProtocols;
        HttpForwarder.CopyResponseHeaders(connection.Head, target.Headers, isUpgrade: true, dropContentLength: false);
        var early = connection.TakeRemainder();
        try
        {
            var upstream = new NetworkStream(connection.DetachSocket(), ownsSocket: false);
            await using (upstream.ConfigureAwait(false))
            {
                var downstream = await upgrade.UpgradeAsync().ConfigureAwait(false);
                await using (downstream.ConfigureAwait(false))
                {
                    if (!early.IsEmpty)
                    {
                        // Bytes the backend sent right after its 101 arrived with the head.
                        await downstream.WriteAsync(early, context.RequestAborted).ConfigureAwait(false);
                        await downstream.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                        record.BytesOut += early.Length;
                    }

                    using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                    var up = PumpAsync(downstream, upstream, done.Token);
                    var down = PumpAsync(upstream, downstream, done.Token);
                    await Task.WhenAny(up, down).ConfigureAwait(false);
                    // One side closed: stop the other pump too, then account both directions.
                    await done.CancelAsync().ConfigureAwait(false);
                    connection.Abort();
                    record.BytesIn += await up.ConfigureAwait(false);
                    record.BytesOut += await down.ConfigureAwait(false);
                    return ForwarderError.None;
                }
            }
        }
        finally
        {
            connection.Abort();
        }
    }

    private static async Task<long> PumpAsync(Stream source, Stream destination, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return total;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                await destination.FlushAsync(ct).ConfigureAwait(false);
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
