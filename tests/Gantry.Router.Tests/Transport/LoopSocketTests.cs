using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Router.Transport;

namespace Gantry.Router.Tests.Transport;

/// <summary>The event loops' sockets against real loopback TCP peers: readiness kept across short reads, the peer's close seen
/// in the same edge as its last data, cancellation, disposal, back-pressure and connects.</summary>
public sealed class LoopSocketTests
{
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Receive_DataAndTheCloseInOneEdge_ReadsTheDataThenTheEnd()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        peer.Send("last words"u8);
        peer.Shutdown(SocketShutdown.Send);
        await Task.Delay(100);

        var buffer = new byte[4096];
        var first = await socket.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        // A short read would mean "drained" if the close were not already known: the end must still come, without a new edge.
        var second = await socket.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);

        Assert.Equal("last words", Encoding.ASCII.GetString(buffer, 0, first));
        Assert.Equal(0, second);
    }

    [Fact]
    public async Task Receive_AfterAShortRead_WaitsForTheNextData()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        var buffer = new byte[4096];
        peer.Send("a"u8);
        Assert.Equal(1, await socket.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));

        var pending = socket.ReceiveAsync(buffer).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        peer.Send("bc"u8);

        Assert.Equal(2, await pending.WaitAsync(Patience));
        Assert.Equal("bc", Encoding.ASCII.GetString(buffer, 0, 2));
    }

    [Fact]
    public async Task Receive_Cancelled_ThrowsAndTheNextReceiveStillGetsData()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        var buffer = new byte[64];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.ReceiveAsync(buffer, cancel.Token).AsTask().WaitAsync(Patience));

        var next = socket.ReceiveAsync(buffer).AsTask();
        peer.Send("late"u8);
        Assert.Equal(4, await next.WaitAsync(Patience));
    }

    [Fact]
    public async Task Dispose_FailsAPendingReceive()
    {
        using var pair = await PairAsync();
        var socket = pair.Socket;
        var pending = socket.ReceiveAsync(new byte[64]).AsTask();
        await Task.Delay(50);

        socket.Dispose();

        var error = await Assert.ThrowsAsync<SocketException>(() => pending.WaitAsync(Patience));
        Assert.Equal(SocketError.OperationAborted, error.SocketErrorCode);
    }

    [Fact]
    public async Task Send_MoreThanTheSocketBuffersHold_CompletesAsThePeerReads()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        var data = new byte[16 * 1024 * 1024];
        Random.Shared.NextBytes(data);

        var sending = socket.SendAsync(data).AsTask();
        await Task.Delay(100);
        Assert.False(sending.IsCompleted, "16 MiB fitted in the socket buffers: the test no longer waits for a write edge");
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (received.Length < data.Length)
        {
            var read = await peer.ReceiveAsync(buffer).WaitAsync(Patience);
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        await sending.WaitAsync(Patience);
        Assert.True(data.AsSpan().SequenceEqual(received.ToArray()));
    }

    [Fact]
    public async Task Connect_NothingListening_Refused()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(() =>
            LoopSocket.ConnectAsync(socket, new IPEndPoint(IPAddress.Loopback, port), EventLoop.Next(), CancellationToken.None).AsTask().WaitAsync(Patience));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Detach_GivesBackABlockingSocketTheRuntimeCanUse()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);

        var detached = socket.Detach();
        await using var stream = new NetworkStream(detached, ownsSocket: false);
        peer.Send("runtime"u8);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience);

        Assert.True(detached.Blocking);
        Assert.Equal("runtime", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task MoveTo_AnotherLoop_WhatArrivedBeforeIsReadAndLaterEdgesCompleteOnTheNewLoop()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        var target = OtherLoop(socket.Loop);
        peer.Send("before"u8);
        await Task.Delay(100);

        socket.MoveTo(target);

        Assert.Same(target, socket.Loop);
        var buffer = new byte[64];
        var first = await socket.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal("before", Encoding.ASCII.GetString(buffer, 0, first));
        // The next read waits for an edge, which only the new loop's set can deliver now; its completion runs on that thread.
        var pending = Task.Run(async () =>
        {
            var read = await socket.ReceiveAsync(buffer).ConfigureAwait(false);
            return (read, EventLoop.OnThisThread);
        });
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        peer.Send("after"u8);
        var (second, completedOn) = await pending.WaitAsync(Patience);

        Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, second));
        Assert.Same(target, completedOn);
    }

    [Fact]
    public async Task MoveTo_WithAReadPending_RefusedAndTheReadStillCompletes()
    {
        using var pair = await PairAsync();
        var (socket, peer) = (pair.Socket, pair.Peer);
        var buffer = new byte[64];
        var pending = socket.ReceiveAsync(buffer).AsTask();
        await Task.Delay(50);

        Assert.Throws<InvalidOperationException>(() => socket.MoveTo(OtherLoop(socket.Loop)));

        peer.Send("still"u8);
        Assert.Equal(5, await pending.WaitAsync(Patience));
    }

    /// <summary>A loop other than <paramref name="loop"/> (the loops are one per core: the machines that run this have two or more).</summary>
    private static EventLoop OtherLoop(EventLoop loop)
    {
        Assert.True(EventLoop.Count > 1, "these tests need two event loops (one per core, or GANTRY_ROUTER_EVENT_LOOPS=2)");
        var other = EventLoop.Next();
        while (ReferenceEquals(other, loop))
        {
            other = EventLoop.Next();
        }

        return other;
    }

    /// <summary>A loop socket connected to a plain runtime socket (the peer) through a loopback listener.</summary>
    internal static async Task<Pair> PairAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accepting = listener.AcceptAsync();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var socket = await LoopSocket.ConnectAsync(client, listener.LocalEndPoint!, EventLoop.Next(), CancellationToken.None).AsTask().WaitAsync(Patience);
        var peer = await accepting.WaitAsync(Patience);
        return new Pair(socket, peer, listener);
    }

    internal sealed record Pair(LoopSocket Socket, Socket Peer, Socket Listener) : IDisposable
    {
        public void Dispose()
        {
            Socket.Dispose();
            Peer.Dispose();
            Listener.Dispose();
        }
    }
}
