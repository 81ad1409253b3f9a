using System.Net;
using System.Text;
using Gantry.Router.Transport;

namespace Gantry.Router.Upstream;

/// <summary>The kept-alive connections to one destination address: an idle stack per event loop (newest on top, so the oldest idle out) and the
/// address parsed once.</summary>
public sealed class UpstreamEndpoint
{
    private readonly object _gate = new();
    private readonly Stack<UpstreamConnection>[] _idle = NewStacks();
    private int _open;

    internal UpstreamEndpoint(string baseAddress)
    {
        BaseAddress = baseAddress;
        var uri = new Uri(baseAddress);
        Authority = uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AuthorityBytes = Encoding.ASCII.GetBytes(Authority);
        EndPoint = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.IdnHost, uri.Port);
    }

    public string BaseAddress { get; }

    /// <summary>host:port as a Host field names it (health probes send it; proxied requests keep the client's Host).</summary>
    public string Authority { get; }

    internal byte[] AuthorityBytes { get; }

    public EndPoint EndPoint { get; }

    /// <summary>Connections open to this address, idle or busy.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Set by the pool's sweep when the endpoint was dropped from the pool; a holder must look it up again.</summary>
    internal bool Retired { get; set; }

    internal long LastUsedTs { get; set; }

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    /// <summary>
    /// An idle connection, newest first: one on the calling event loop when there is one, else one from another loop, which is
    /// moved to the calling loop (its reads then end on the thread that serves the client, and it comes back to this loop's
    /// stack). So each loop keeps about as many connections as its clients use at once, instead of serving some exchanges
    /// across two threads.
    /// </summary>
    internal bool TryPop(out UpstreamConnection connection)
    {
        var loop = EventLoop.OnThisThread;
        var own = loop?.Index ?? 0;
        lock (_gate)
        {
            if (_idle[own].TryPop(out connection!))
            {
                return true;
            }

            if (!TryPopAnother(out connection))
            {
                return false;
            }
        }

        if (loop is not null)
        {
            try
            {
                connection.MoveTo(loop);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The socket could not join this loop's set (closed under it): it stays where it was, and its first read finds out.
            }
        }

        return true;
    }

    private bool TryPopAnother(out UpstreamConnection connection)
    {
        foreach (var stack in _idle)
        {
            if (stack.TryPop(out connection!))
            {
                return true;
            }
        }

        connection = null!;
        return false;
    }

    internal void Push(UpstreamConnection connection)
    {
        lock (_gate)
        {
            _idle[connection.Loop.Index].Push(connection);
        }
    }

    private static Stack<UpstreamConnection>[] NewStacks()
    {
        var stacks = new Stack<UpstreamConnection>[EventLoop.Count];
        for (var i = 0; i < stacks.Length; i++)
        {
            stacks[i] = new Stack<UpstreamConnection>();
        }

        return stacks;
    }

    /// <summary>Takes out the idle connections <paramref name="expired"/> says are done (idle or alive too long, or closed by the peer).</summary>
    internal void Sweep(Func<UpstreamConnection, bool> expired, List<UpstreamConnection> removed)
    {
        lock (_gate)
        {
            foreach (var stack in _idle)
            {
                if (stack.Count == 0)
                {
                    continue;
                }

                var keep = new List<UpstreamConnection>(stack.Count);
                while (stack.TryPop(out var connection))
                {
                    if (expired(connection))
                    {
                        removed.Add(connection);
                    }
                    else
                    {
                        keep.Add(connection);
                    }
                }

                for (var i = keep.Count - 1; i >= 0; i--)
                {
                    stack.Push(keep[i]);
                }
            }
        }
    }
}
